import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { notFound } from '../../libs/http/problem-details.js';
import { intParam, noBody, uuidParam } from '../../libs/http/param-pipes.js';
import { AddActionCommand } from './add-action.command.js';
import { AddGoalCommand } from './add-goal.command.js';
import { AddNoteCommand } from './add-note.command.js';
import { ChangeGoalCommand } from './change-goal.command.js';
import { ClosePlanCommand } from './close-plan.command.js';
import { CompleteActionCommand } from './complete-action.command.js';
import {
  AddActionDto,
  AddGoalDto,
  AddNoteDto,
  ChangeGoalDto,
  ClosePlanDto,
  SignPlanDto,
} from './dto/plan-commands.dto.js';
import { OpenPlanCommand } from './open-plan.command.js';
import type { PlanCommandInput } from './plan-command.service.js';
import { PlanViewQuery } from './plan-view.query.js';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import { SignPlanCommand } from './sign-plan.command.js';

@ApiTags('plan')
@ApiBearerAuth()
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'ETag of the plan view; stale is 412',
})
@Controller('api/v1/families/:familyId/plan')
export class PlansController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PlanViewQuery) private readonly plans: PlanViewQuery,
  ) {}

  @Post()
  @HttpCode(201)
  open(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new OpenPlanCommand(input(familyId, user, context, ifMatch), undefined),
    );
  }

  @Get()
  async get(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
    @Res({ passthrough: true }) response: Response,
  ) {
    const found = await this.plans.current(familyId, user, accessPoint);
    if (!found) throw notFound('This family has no plan');
    response.setHeader('ETag', found.etag);
    return found.view;
  }

  @Post('goals')
  @HttpCode(201)
  addGoal(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: AddGoalDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new AddGoalCommand(input(familyId, user, context, ifMatch), body));
  }

  @Patch('goals/:goalId')
  changeGoal(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('goalId', uuidParam('goalId')) goalId: string,
    @Body() body: ChangeGoalDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new ChangeGoalCommand(input(familyId, user, context, ifMatch), { ...body, goalId }),
    );
  }

  @Post('actions')
  @HttpCode(201)
  addAction(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: AddActionDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new AddActionCommand(input(familyId, user, context, ifMatch), body),
    );
  }

  @Post('actions/:actionId/completion')
  @HttpCode(200)
  completeAction(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('actionId', uuidParam('actionId')) actionId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new CompleteActionCommand(input(familyId, user, context, ifMatch), { actionId }),
    );
  }

  @Post('notes')
  @HttpCode(201)
  addNote(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: AddNoteDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(new AddNoteCommand(input(familyId, user, context, ifMatch), body));
  }

  @Post('signatures')
  @HttpCode(200)
  sign(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: SignPlanDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new SignPlanCommand(input(familyId, user, context, ifMatch), body),
    );
  }

  @Post('closure')
  @HttpCode(200)
  close(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: ClosePlanDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new ClosePlanCommand(input(familyId, user, context, ifMatch), body),
    );
  }

  @Get('versions')
  async versions(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
  ) {
    const versions = await this.plans.versions(familyId, user);
    if (!versions) throw notFound('This family has no plan');
    return { versions };
  }

  @Get('versions/:version')
  async version(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('version', intParam('version')) version: number,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const view = await this.plans.version(familyId, user, version, accessPoint);
    if (!view) throw notFound('No such version of this plan');
    return view;
  }
}

function input(
  familyId: string,
  user: AuthUser,
  context: CommandContext,
  ifMatch?: string,
): PlanCommandInput {
  return { familyId, user, context, ifMatch };
}
