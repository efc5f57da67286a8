import type { MigrationInterface } from 'typeorm';
import type { EventSchemaRegistry } from '#libs/event-store/upcasting.js';
import { DAY_CALENDAR_EVENT_TYPES } from '#libs/timers/day-calendar.events.js';
import { FamilyViews1732000001000 } from './families/family-views.migration.js';
import { FamilyConsents1732000006000 } from './families/family-consents.migration.js';
import { FamilyAddress1732000012000 } from './families/family-address.migration.js';
import { FAMILY_EVENT_TYPES } from './families/family.events.js';
import { CameOfAge1732000017000 } from './families/came-of-age.migration.js';
import { Notifications1732000004000 } from '#libs/notifications/notifications.migration.js';
import { EscalationViews1732000003000 } from './escalations/escalation-views.migration.js';
import { ESCALATION_EVENT_TYPES } from './escalations/escalation.events.js';
import { ErasureRequests1732000007000 } from './erasure/erasure-requests.migration.js';
import { ERASURE_EVENT_TYPES } from './erasure/erasure.events.js';
import { PlanViews1732000002000 } from './plans/plan-views.migration.js';
import { PlanNotes1732000018000 } from './plans/plan-notes.migration.js';
import { TeamViews1732000008000 } from './teams/team-views.migration.js';
import { InboxRegieIndexes1732000009000 } from './inbox/inbox-regie-indexes.migration.js';
import { TEAM_EVENT_TYPES } from './teams/team.events.js';
import { TeamPostcodeAreas1732000021000 } from './teams/team-postcode-areas.migration.js';
import { Concerns1732000022000 } from './concerns/concerns.migration.js';
import { CONCERN_EVENT_TYPES } from './concerns/concern.events.js';
import { CitizenConcerns1732000023100 } from './citizen-data/citizen-concerns.migration.js';
import { MonitorConcerns1732000023200 } from './monitor/monitor-concerns.migration.js';
import { TeamDashboardViews1732000014000 } from './teams/team-dashboard-views.migration.js';
import { EmergencyAccess1732000013000 } from './emergency-access/emergency-access.migration.js';
import { EMERGENCY_ACCESS_EVENT_TYPES } from './emergency-access/emergency-access.events.js';
import { PLAN_EVENT_TYPES } from './plans/plan.events.js';
import { PrivacyFacts1732000015000 } from './privacy/privacy-facts.migration.js';
import { InboxCases1732000016000 } from './inbox/inbox-cases.migration.js';
import { InboxConcerns1732000023500 } from './inbox/inbox-concerns.migration.js';
import { InboxConcernAlerts1732000024000 } from './inbox/inbox-concern-alerts.migration.js';
import { MonitorFacts1732000019000 } from './monitor/monitor-facts.migration.js';
import { EscalationFamilies1732000020000 } from './escalations/escalation-families.migration.js';
import { FamilyEscalationHolders1732000020001 } from './families/family-escalation-holders.migration.js';
import { AuditFamilyStreams1732000020002 } from './audit/audit-family-streams.migration.js';
import { Zaaksysteem1732000025000 } from './zaaksysteem/zaaksysteem.migration.js';

/** Read-model migrations of every capability, in order. */
export const READ_MODEL_MIGRATIONS: Array<new () => MigrationInterface> = [
  FamilyViews1732000001000,
  PlanViews1732000002000,
  EscalationViews1732000003000,
  Notifications1732000004000,
  FamilyConsents1732000006000,
  ErasureRequests1732000007000,
  TeamViews1732000008000,
  InboxRegieIndexes1732000009000,
  FamilyAddress1732000012000,
  EmergencyAccess1732000013000,
  TeamDashboardViews1732000014000,
  PrivacyFacts1732000015000,
  InboxCases1732000016000,
  CameOfAge1732000017000,
  PlanNotes1732000018000,
  MonitorFacts1732000019000,
  EscalationFamilies1732000020000,
  FamilyEscalationHolders1732000020001,
  AuditFamilyStreams1732000020002,
  TeamPostcodeAreas1732000021000,
  Concerns1732000022000,
  CitizenConcerns1732000023100,
  MonitorConcerns1732000023200,
  InboxConcerns1732000023500,
  InboxConcernAlerts1732000024000,
  Zaaksysteem1732000025000,
];

/** Current schema version of every event type, with the upcasters of older versions. */
export function registerEventSchemas(registry: EventSchemaRegistry): void {
  for (const type of [
    ...FAMILY_EVENT_TYPES,
    ...PLAN_EVENT_TYPES,
    ...ESCALATION_EVENT_TYPES,
    ...ERASURE_EVENT_TYPES,
    ...TEAM_EVENT_TYPES,
    ...DAY_CALENDAR_EVENT_TYPES,
    ...EMERGENCY_ACCESS_EVENT_TYPES,
    ...CONCERN_EVENT_TYPES,
  ]) {
    registry.register(type, 1);
  }
}

export const INFRASTRUCTURE_OPTIONS = {
  migrations: READ_MODEL_MIGRATIONS,
  registerSchemas: registerEventSchemas,
};
