import { Module } from '@nestjs/common';
import { AddActionHandler } from './add-action.command.js';
import { AddGoalHandler } from './add-goal.command.js';
import { AddNoteHandler } from './add-note.command.js';
import { ChangeGoalHandler } from './change-goal.command.js';
import { ClosePlanHandler } from './close-plan.command.js';
import { CompleteActionHandler } from './complete-action.command.js';
import { OpenPlanHandler } from './open-plan.command.js';
import { PlanCommandService } from './plan-command.service.js';
import { PlanViewQuery } from './plan-view.query.js';
import { PlanProjection } from './plan.projection.js';
import { PlansController } from './plans.controller.js';
import { SignPlanHandler } from './sign-plan.command.js';

@Module({
  controllers: [PlansController],
  providers: [
    PlanCommandService,
    PlanViewQuery,
    PlanProjection,
    OpenPlanHandler,
    AddGoalHandler,
    ChangeGoalHandler,
    AddActionHandler,
    CompleteActionHandler,
    AddNoteHandler,
    SignPlanHandler,
    ClosePlanHandler,
  ],
  exports: [PlanProjection, PlanCommandService, PlanViewQuery],
})
export class PlansModule {}
