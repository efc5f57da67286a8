import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { loadMunicipalityConfig } from '../../config/municipalities.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import { CompleteDirectiveHandler, DecideHandler } from './decision.command.js';
import { EscalationCommandService } from './escalation-command.service.js';
import { EscalationViewQuery } from './escalation-view.query.js';
import { EscalationFamiliesProjection } from './escalation-families.projection.js';
import { EscalationProjection } from './escalation.projection.js';
import { EscalationsController } from './escalations.controller.js';
import { LADDER, Ladder } from './ladder.js';
import {
  AcknowledgeHandler,
  AppointHandler,
  EscalateHandler,
  ReopenHandler,
  ResolveHandler,
  WithdrawHandler,
} from './ladder-steps.command.js';
import { RaiseSignalHandler, SignalRaiser } from './raise-signal.command.js';

/** The ladder of the configured municipality: its deadlines and its working-day calendar. */
const ladderProvider = {
  provide: LADDER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => {
    const municipality = loadMunicipalityConfig(config.MUNICIPALITY, config.MUNICIPALITY_CONFIG);
    return new Ladder(new WorkingDayCalendar(municipality.calendar), municipality.escalation);
  },
};

@Module({
  controllers: [EscalationsController],
  providers: [
    ladderProvider,
    EscalationCommandService,
    SignalRaiser,
    EscalationViewQuery,
    EscalationProjection,
    EscalationFamiliesProjection,
    RaiseSignalHandler,
    AcknowledgeHandler,
    EscalateHandler,
    AppointHandler,
    DecideHandler,
    CompleteDirectiveHandler,
    ResolveHandler,
    WithdrawHandler,
    ReopenHandler,
  ],
  exports: [
    LADDER,
    EscalationCommandService,
    SignalRaiser,
    EscalationViewQuery,
    EscalationProjection,
    EscalationFamiliesProjection,
  ],
})
export class EscalationsModule {}
