import { Global, Module } from '@nestjs/common';
import { FamilyRegie } from '../families/family-regie.port.js';
import { PlanFamilyRegie } from './plan-family-regie.js';
import { AddActionHandler } from './add-action.command.js';
import { AssignRegieHandler } from './assign-regie.command.js';
import { RegieController } from './regie.controller.js';
import { AddGoalHandler } from './add-goal.command.js';
import { AddNoteHandler } from './add-note.command.js';
import { ChangeGoalHandler } from './change-goal.command.js';
import { ClosePlanHandler } from './close-plan.command.js';
import { CompleteActionHandler } from './complete-action.command.js';
import { OpenPlanHandler } from './open-plan.command.js';
import { PlanCommandService } from './plan.command.js';
import { PlanStates } from './plan-states.js';
import { PlanViewQuery } from './plan-view.query.js';
import { PlanProjection } from './plan.projection.js';
import { PlansController } from './plans.controller.js';
import { SignPlanHandler } from './sign-plan.command.js';

/**
 * Global for FamilyRegie: families, below plans, asks it who holds the regie; PlanStates is
 * what capabilities above plans read of a plan.
 */
@Global()
@Module({
  controllers: [PlansController, RegieController],
  providers: [
    { provide: FamilyRegie, useClass: PlanFamilyRegie },
    PlanCommandService,
    PlanStates,
    PlanViewQuery,
    PlanProjection,
    OpenPlanHandler,
    AddGoalHandler,
    ChangeGoalHandler,
    AddActionHandler,
    CompleteActionHandler,
    AddNoteHandler,
    AssignRegieHandler,
    SignPlanHandler,
    ClosePlanHandler,
  ],
  exports: [FamilyRegie, PlanProjection, PlanCommandService, PlanStates, PlanViewQuery],
})
export class PlansModule {}
