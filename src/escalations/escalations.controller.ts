import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { noBody, UuidParam } from '#libs/http/param-pipes.js';
import { notFound } from '#libs/http/problem-details.js';
import { ProfessionalRefDto } from '../plans/dto/professional-ref.dto.js';
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
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { EscalationDto, EscalationListDto, SignalRaisedDto } from './dto/escalation-view.dto.js';

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
  @ApiCommand({
    operationId: 'raiseSignal',
    summary: 'Raise a signal: opens an escalation at level 0',
    response: SignalRaisedDto,
    status: 201,
    problems: [403, 404, 409, 422],
  })
  raise(
    @UuidParam('familyId') familyId: string,
    @Body() body: RaiseSignalDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new RaiseSignalCommand(familyId, body, user, context));
  }

  @Get('escalations')
  @ApiView({
    operationId: 'listEscalations',
    summary: 'Escalations the caller may see',
    description: 'Summaries; the SLT team lead sees level, status and age only.',
    response: EscalationListDto,
  })
  async list(
    @Query() filters: EscalationFiltersDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return { items: await this.views.list(user, filters, accessPoint) };
  }

  @Get('escalations/:escalationId')
  @ApiView({
    operationId: 'getEscalation',
    summary: 'One escalation with its dossier, as far as the caller may read it',
    response: EscalationDto,
    problems: [404],
  })
  async find(
    @UuidParam('escalationId') escalationId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const view = await this.views.find(escalationId, user, accessPoint);
    if (!view) throw notFound('No escalation with this id');
    return view;
  }

  @Post('escalations/:escalationId/acknowledgement')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'acknowledgeEscalation',
    summary: 'Acknowledge the signal (the casusregisseur)',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  acknowledge(
    @UuidParam('escalationId') escalationId: string,
    @Body(noBody) body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AcknowledgeCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/escalation')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'escalate',
    summary: 'Escalate to the next level',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  escalate(
    @UuidParam('escalationId') escalationId: string,
    @Body() body: EscalateDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new EscalateCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/appointment')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'appointHolder',
    summary: "Appoint the level's holder, or take it up from the pool",
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  appoint(
    @UuidParam('escalationId') escalationId: string,
    @Body() body: ProfessionalRefDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AppointCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/decision')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'decideEscalation',
    summary: 'Decide (the brandpuntfunctionaris)',
    description:
      'A justification of at least 80 characters (422 otherwise); directives for organisations with due dates.',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  decide(
    @UuidParam('escalationId') escalationId: string,
    @Body() body: DecisionDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new DecideCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/directives/:directiveId/completion')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'completeDirective',
    summary: "Complete a directive (the directive's organisation)",
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  completeDirective(
    @UuidParam('escalationId') escalationId: string,
    @UuidParam('directiveId') directiveId: string,
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
  @ApiCommand({
    operationId: 'resolveEscalation',
    summary: 'Resolve the escalation',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  resolve(
    @UuidParam('escalationId') escalationId: string,
    @Body() body: ResolveDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ResolveCommand(escalationId, user, context, body));
  }

  @Post('escalations/:escalationId/withdrawal')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'withdrawEscalation',
    summary: 'Withdraw the escalation',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  withdraw(
    @UuidParam('escalationId') escalationId: string,
    @Body() body: WithdrawDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new WithdrawCommand(escalationId, user, context, body));
  }

  /** Once, within the reopening window (escalation.md), when the same stagnation returns. */
  @Post('escalations/:escalationId/reopening')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'reopenEscalation',
    summary: 'Reopen an ended escalation (once, within 30 days)',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  reopen(
    @UuidParam('escalationId') escalationId: string,
    @Body() body: ReopenDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ReopenCommand(escalationId, user, context, body));
  }
}
