import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { noBody, uuidParam } from '../../libs/http/param-pipes.js';
import { notFound } from '../../libs/http/problem-details.js';
import { ProfessionalRefDto } from '../regie/dto/professional-ref.dto.js';
import { CompleteDirectiveCommand, DecideCommand } from './decision.command.js';
import { EscalationFiltersDto } from './dto/escalation-filters.dto.js';
import {
  DecisionDto,
  EscalateDto,
  RaiseSignalDto,
  ReopenDto,
  ResolveDto,
  WithdrawDto,
} from './dto/escalation-commands.dto.js';
import { EscalationViewQuery } from './escalation-view.query.js';
import {
  AcknowledgeCommand,
  AppointCommand,
  EscalateCommand,
  ReopenCommand,
  ResolveCommand,
  WithdrawCommand,
} from './ladder-steps.command.js';
import { RaiseSignalCommand } from './raise-signal.command.js';

const id = () => uuidParam('escalationId');

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api/v1')
export class EscalationsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EscalationViewQuery) private readonly views: EscalationViewQuery,
  ) {}

  @Post('families/:familyId/signals')
  @HttpCode(201)
  raise(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: RaiseSignalDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new RaiseSignalCommand(familyId, body, user, context));
  }

  @Get('escalations')
  async list(
    @Query() filters: EscalationFiltersDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return { items: await this.views.list(user, filters, accessPoint) };
  }

  @Get('escalations/:escalationId')
  async find(
    @Param('escalationId', id()) escalationId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const view = await this.views.find(escalationId, user, accessPoint);
    if (!view) throw notFound('No escalation with this id');
    return view;
  }

  @Post('escalations/:escalationId/acknowledgement')
  @HttpCode(200)
  acknowledge(
    @Param('escalationId', id()) escalationId: string,
    @Body(noBody) body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AcknowledgeCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/escalation')
  @HttpCode(200)
  escalate(
    @Param('escalationId', id()) escalationId: string,
    @Body() body: EscalateDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new EscalateCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/appointment')
  @HttpCode(200)
  appoint(
    @Param('escalationId', id()) escalationId: string,
    @Body() body: ProfessionalRefDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AppointCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/decision')
  @HttpCode(200)
  decide(
    @Param('escalationId', id()) escalationId: string,
    @Body() body: DecisionDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new DecideCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/directives/:directiveId/completion')
  @HttpCode(200)
  completeDirective(
    @Param('escalationId', id()) escalationId: string,
    @Param('directiveId', uuidParam('directiveId')) directiveId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(
      new CompleteDirectiveCommand(escalationId, user, context, { directiveId }),
    );
  }

  @Post('escalations/:escalationId/resolution')
  @HttpCode(200)
  resolve(
    @Param('escalationId', id()) escalationId: string,
    @Body() body: ResolveDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ResolveCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/withdrawal')
  @HttpCode(200)
  withdraw(
    @Param('escalationId', id()) escalationId: string,
    @Body() body: WithdrawDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawCommand(escalationId, user, context, body));
  }

  /** Once, within the reopening window (escalation.md), when the same stagnation returns. */
  @Post('escalations/:escalationId/reopening')
  @HttpCode(200)
  reopen(
    @Param('escalationId', id()) escalationId: string,
    @Body() body: ReopenDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ReopenCommand(escalationId, user, context, body));
  }
}
