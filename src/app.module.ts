import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import {
  ConsistencyInterceptor,
  CONSISTENCY_TIMEOUT_MS,
} from '#libs/http/consistency.interceptor.js';
import { IdempotencyInterceptor } from '#libs/http/idempotency.interceptor.js';
import { AuthModule } from './core/auth.module.js';
import { CoreModule } from './core/core.module.js';
import type { Infrastructure } from './core/infrastructure.js';
import { NotificationProjection } from '#libs/notifications/notification-projection.js';
import { DueWork } from './core/due-work.js';
import { NotificationsModule } from './core/notifications.module.js';
import {
  AutomaticSignalHandler,
  AutomaticSignalRule,
} from './escalations/automatic-signals.timer.js';
import {
  DirectiveDueHandler,
  EscalationDeadlineHandler,
  EscalationDeadlineRule,
} from './escalations/escalation-deadlines.timer.js';
import { EscalationNotificationRule } from './escalations/escalation-notifications.rule.js';
import { EscalationProjection } from './escalations/escalation.projection.js';
import { EscalationFamiliesProjection } from './escalations/escalation-families.projection.js';
import { EscalationsModule } from './escalations/escalations.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuditFamilyStreamsProjection } from './audit/audit-family-streams.projection.js';
import { ConsentsModule } from './consents/consents.module.js';
import { EmergencyAccessModule } from './emergency-access/emergency-access.module.js';
import { EmergencyAccessProjection } from './emergency-access/emergency-access.projection.js';
import { EmergencySubjectsProjection } from './emergency-access/emergency-subjects.projection.js';
import { ErasureRequestProjection } from './erasure/erasure-request.projection.js';
import {
  ERASURE_TIMER_HANDLERS,
  ERASURE_TIMER_RULES,
  ErasureModule,
} from './erasure/erasure.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { CitizenDataModule } from './citizen-data/citizen-data.module.js';
import { CitizenConcernsProjection } from './citizen-data/citizen-concerns.projection.js';
import { PrivacyFactsProjection } from './privacy/privacy-facts.projection.js';
import { InboxModule } from './inbox/inbox.module.js';
import { InboxCasesProjection } from './inbox/inbox-cases.projection.js';
import { ProjectionsModule } from './core/projections.module.js';
import { TamperEvidenceModule } from './core/tamper-evidence.module.js';
import { TimersModule } from './core/timers.module.js';
import { DemoData } from './demo/demo-data.js';
import { DevController } from './dev/dev.controller.js';
import { CameOfAgeHandler, CameOfAgeRule } from './families/came-of-age.timer.js';
import { FamiliesModule } from './families/families.module.js';
import { FamilyProjection } from './families/family.projection.js';
import { CameOfAgeProjection } from './families/came-of-age.projection.js';
import { FamilyEscalationHoldersProjection } from './families/family-escalation-holders.projection.js';
import { HealthController } from './health/health.controller.js';
import { PlanProjection } from './plans/plan.projection.js';
import { PlansModule } from './plans/plans.module.js';
import { MonitorModule } from './monitor/monitor.module.js';
import { MonitorFactsProjection } from './monitor/monitor-facts.projection.js';
import { MonitorConcernsProjection } from './monitor/monitor-concerns.projection.js';
import { TeamProjection } from './teams/team.projection.js';
import { TeamDashboardProjection } from './teams/team-dashboard.projection.js';
import { TeamsModule } from './teams/teams.module.js';
import { ConcernsModule } from './concerns/concerns.module.js';
import { ConcernErasureHandler, ConcernErasureRule } from './concerns/concern-erasure.timer.js';
import { ConcernProjection } from './concerns/concern.projection.js';
import { ConcernDirectoryProjection } from './concerns/concern-directory.projection.js';
import { ConcernNotificationRule } from './concerns/concern-notifications.rule.js';
import {
  ConcernRetentionHandler,
  ConcernRetentionRule,
} from './concerns/concern-retention.timer.js';
import { ConcernTriageHandler, ConcernTriageRule } from './concerns/concern-triage.timer.js';
import { InboxConcernsProjection } from './inbox/inbox-concerns.projection.js';
import { TimerProjection } from '#libs/timers/timer-projection.js';
import { loadMunicipalityConfig } from '../config/municipalities.js';
import { ZaaksysteemModule } from './zaaksysteem/zaaksysteem.module.js';
import { ZgwOutboxProjection } from './zaaksysteem/zgw-outbox.projection.js';
import { zgwSettings } from './zaaksysteem/zgw-settings.js';
import { DayCalendarHandler, dayCalendarRule } from '#libs/timers/day-calendar.timer.js';

@Module({})
export class AppModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    const { config } = infra;
    const timers = TimersModule.forRoot(
      [
        CameOfAgeRule,
        EscalationDeadlineRule,
        AutomaticSignalRule,
        // The day begins to matter with the first team (its dashboard) or family (its minors).
        dayCalendarRule(['team.TeamCreated', 'family.FamilyRegistered']),
        ...ERASURE_TIMER_RULES,
        ConcernErasureRule,
        ConcernTriageRule,
        ConcernRetentionRule,
      ],
      [
        CameOfAgeHandler,
        DayCalendarHandler,
        EscalationDeadlineHandler,
        DirectiveDueHandler,
        AutomaticSignalHandler,
        ...ERASURE_TIMER_HANDLERS,
        ConcernErasureHandler,
        ConcernTriageHandler,
        ConcernRetentionHandler,
      ],
      [EscalationsModule, ConcernsModule],
    );
    const notifications = NotificationsModule.forRoot([
      EscalationNotificationRule,
      ConcernNotificationRule,
    ]);
    // The zaaksysteem registration exists only when configured: off, nothing of it is built.
    const zgw = zgwSettings(
      config,
      loadMunicipalityConfig(config.MUNICIPALITY, config.MUNICIPALITY_CONFIG),
    );
    if (config.zgw && !zgw) {
      infra.logger.warn(
        { municipality: config.MUNICIPALITY },
        'ZGW_* are set but the municipality has no zgw block in MUNICIPALITY_CONFIG: the zaaksysteem registration stays off',
      );
    }
    const zaaksysteem = zgw ? [ZaaksysteemModule.forRoot(zgw)] : [];
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        // A failed readiness check is a 503 like any other: DatabaseOutage logs it, once.
        TerminusModule.forRoot({ logger: false }),
        CoreModule.forRoot(infra),
        TamperEvidenceModule.forRoot(),
        PrivacyModule,
        AuthModule.forRoot(config),
        ProjectionsModule.forRoot(
          [
            FamiliesModule,
            PlansModule,
            EscalationsModule,
            ErasureModule,
            TeamsModule,
            EmergencyAccessModule,
            ConcernsModule,
            PrivacyModule,
            InboxModule,
            AuditModule,
            MonitorModule,
            CitizenDataModule,
            timers,
            notifications,
            ...zaaksysteem,
          ],
          [
            FamilyProjection,
            CameOfAgeProjection,
            FamilyEscalationHoldersProjection,
            PlanProjection,
            EscalationProjection,
            EscalationFamiliesProjection,
            TimerProjection,
            NotificationProjection,
            ErasureRequestProjection,
            TeamProjection,
            TeamDashboardProjection,
            EmergencyAccessProjection,
            EmergencySubjectsProjection,
            PrivacyFactsProjection,
            InboxCasesProjection,
            InboxConcernsProjection,
            AuditFamilyStreamsProjection,
            MonitorFactsProjection,
            ConcernProjection,
            ConcernDirectoryProjection,
            CitizenConcernsProjection,
            MonitorConcernsProjection,
            ...(zgw ? [ZgwOutboxProjection] : []),
          ],
        ),
        ...zaaksysteem,
        timers,
        notifications,
        FamiliesModule,
        PlansModule,
        EscalationsModule,
        InboxModule,
        ConsentsModule,
        CitizenDataModule,
        ErasureModule,
        AuditModule,
        TeamsModule,
        MonitorModule,
        EmergencyAccessModule,
        ConcernsModule,
      ],
      controllers: [HealthController, ...(config.isDevelopment ? [DevController] : [])],
      providers: [
        DemoData,
        DueWork,
        IdempotencyInterceptor,
        ConsistencyInterceptor,
        { provide: CONSISTENCY_TIMEOUT_MS, useValue: config.CONSISTENCY_TIMEOUT_MS },
      ],
    };
  }
}
