import { Body, Controller, Get, HttpCode, Inject, Patch, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx, IfMatch } from '#libs/http/command-context.decorator.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { notFound } from '#libs/http/problem-details.js';
import { IntParam, noBody, UuidParam } from '#libs/http/param-pipes.js';
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
import {
  ActionAddedDto,
  GoalAddedDto,
  NoteAddedDto,
  PlanOpenedDto,
  PlanSignedDto,
  PlanVersionsDto,
  PlanViewDto,
} from './dto/plan-view.dto.js';
import { OpenPlanCommand } from './open-plan.command.js';
import type { PlanCommandInput } from './plan.command.js';
import { PlanViewQuery } from './plan-view.query.js';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import { SignPlanCommand } from './sign-plan.command.js';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/families/:familyId/plan')
export class PlansController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PlanViewQuery) private readonly plans: PlanViewQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCommand({
    operationId: 'openPlan',
    summary: "Open the family's plan",
    description: 'One active plan per family: 409 with a link to it when there is one.',
    response: PlanOpenedDto,
    status: 201,
    problems: [403, 404, 409],
    ifMatch: true,
  })
  open(
    @UuidParam('familyId') familyId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new OpenPlanCommand(input(familyId, user, context, ifMatch), undefined),
    );
  }

  @Get()
  @ApiView({
    operationId: 'getPlan',
    summary: "The family's plan, scoped to the caller",
    description:
      'What the caller may not see is left out (privacy.md). The `ETag` goes with commands as If-Match.',
    response: PlanViewDto,
    problems: [404],
    etag: true,
  })
  async get(
    @UuidParam('familyId') familyId: string,
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
  @ApiCommand({
    operationId: 'addGoal',
    summary: 'Add a goal (opens a new draft version)',
    description: 'At most MAX_ACTIVE_GOALS open goals (422).',
    response: GoalAddedDto,
    status: 201,
    problems: [403, 404, 409, 422],
    ifMatch: true,
  })
  addGoal(
    @UuidParam('familyId') familyId: string,
    @Body() body: AddGoalDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(new AddGoalCommand(input(familyId, user, context, ifMatch), body));
  }

  @Patch('goals/:goalId')
  @ApiCommand({
    operationId: 'changeGoal',
    summary: "Change a goal's lifecycle, achievement or target date",
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
    ifMatch: true,
    idempotencyKey: false,
  })
  changeGoal(
    @UuidParam('familyId') familyId: string,
    @UuidParam('goalId') goalId: string,
    @Body() body: ChangeGoalDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new ChangeGoalCommand(input(familyId, user, context, ifMatch), { ...body, goalId }),
    );
  }

  @Post('actions')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'addAction',
    summary: 'Add an action to a goal',
    description:
      'Assigned to a current member, a network member or a case-team professional (else 422).',
    response: ActionAddedDto,
    status: 201,
    problems: [403, 404, 409, 422],
    ifMatch: true,
  })
  addAction(
    @UuidParam('familyId') familyId: string,
    @Body() body: AddActionDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new AddActionCommand(input(familyId, user, context, ifMatch), body),
    );
  }

  @Post('actions/:actionId/completion')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'completeAction',
    summary: 'Complete an action',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
    ifMatch: true,
  })
  completeAction(
    @UuidParam('familyId') familyId: string,
    @UuidParam('actionId') actionId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new CompleteActionCommand(input(familyId, user, context, ifMatch), { actionId }),
    );
  }

  @Post('notes')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'addNote',
    summary: 'Add a progress note (`evaluation: true` for the periodic evaluation)',
    response: NoteAddedDto,
    status: 201,
    problems: [403, 404, 409, 422],
    ifMatch: true,
  })
  addNote(
    @UuidParam('familyId') familyId: string,
    @Body() body: AddNoteDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(new AddNoteCommand(input(familyId, user, context, ifMatch), body));
  }

  @Post('signatures')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'signPlan',
    summary: "Sign the draft for a member or the caller's organisation",
    description: 'The plan is agreed once every required party signed.',
    response: PlanSignedDto,
    problems: [403, 404, 409, 422],
    ifMatch: true,
  })
  sign(
    @UuidParam('familyId') familyId: string,
    @Body() body: SignPlanDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new SignPlanCommand(input(familyId, user, context, ifMatch), body),
    );
  }

  @Post('closure')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'closePlan',
    summary: 'Close the plan',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
    ifMatch: true,
  })
  close(
    @UuidParam('familyId') familyId: string,
    @Body() body: ClosePlanDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new ClosePlanCommand(input(familyId, user, context, ifMatch), body),
    );
  }

  @Get('versions')
  @ApiView({
    operationId: 'listPlanVersions',
    summary: 'Every version of the plan',
    response: PlanVersionsDto,
    problems: [404],
  })
  async versions(@UuidParam('familyId') familyId: string, @CurrentUser() user: AuthUser) {
    const versions = await this.plans.versions(familyId, user);
    if (!versions) throw notFound('This family has no plan');
    return { versions };
  }

  @Get('versions/:version')
  @ApiView({
    operationId: 'getPlanVersion',
    summary: 'One version of the plan, in the shape of the plan view',
    response: PlanViewDto,
    problems: [404],
  })
  async version(
    @UuidParam('familyId') familyId: string,
    @IntParam('version') version: number,
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
