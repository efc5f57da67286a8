import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { loadMunicipalityConfig } from '../../config/municipalities.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import { ConcernDirectoryProjection } from './concern-directory.projection.js';
import {
  DismissConcernHandler,
  LiftSafetyRestrictionHandler,
  LinkConcernHandler,
  RecordContactAttemptHandler,
  RejectMatchHandler,
  ReopenConcernHandler,
  TakeUpConcernHandler,
} from './concern-steps.command.js';
import { ConcernViewQuery } from './concern-view.query.js';
import { CONCERN_RULES, ConcernCommandService, type ConcernRules } from './concern.command.js';
import { ConcernProjection } from './concern.projection.js';
import { ConcernsController } from './concerns.controller.js';
import { FileConcernHandler } from './file-concern.command.js';
import { RegisterFromConcernHandler } from './register-from-concern.command.js';

/** The configured municipality's working days and concern deadlines. */
const rulesProvider = {
  provide: CONCERN_RULES,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): ConcernRules => {
    const municipality = loadMunicipalityConfig(config.MUNICIPALITY, config.MUNICIPALITY_CONFIG);
    return {
      calendar: new WorkingDayCalendar(municipality.calendar),
      deadlines: municipality.concerns,
    };
  },
};

/** Concerns from partner organisations: intake, matching and outreach (concerns.md). */
@Module({
  controllers: [ConcernsController],
  providers: [
    rulesProvider,
    ConcernCommandService,
    FileConcernHandler,
    TakeUpConcernHandler,
    LinkConcernHandler,
    RejectMatchHandler,
    RecordContactAttemptHandler,
    DismissConcernHandler,
    ReopenConcernHandler,
    RegisterFromConcernHandler,
    LiftSafetyRestrictionHandler,
    ConcernViewQuery,
    ConcernProjection,
    ConcernDirectoryProjection,
  ],
  exports: [ConcernCommandService, ConcernProjection, ConcernDirectoryProjection],
})
export class ConcernsModule {}
