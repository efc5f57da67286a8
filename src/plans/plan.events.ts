import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { SealedFieldsOf } from '#libs/personal-data/sealed-fields.js';
import type {
  AchievementStatus,
  Action,
  ClosureReason,
  Goal,
  GoalLifecycle,
  Party,
  ProgressNote,
} from './plan.model.js';
import type { RegieHolder, RegieRole } from '../kernel/regie.js';
import type { EventsOf, ReadableAs } from '#libs/event-store/event-view.js';
import type { PlanEventView } from '../privacy/privacy-facts.fold.js';

type PlanEventOf<Name extends string, Data> = DomainEvent<
  `gezinsplan.${Name}`,
  Data & { planId: string }
>;

export type PlanOpened = PlanEventOf<'PlanOpened', { familyId: string; openedAt: string }>;
/**
 * Events whose data carries free text are generic in it: `string` as `decide` makes them, Sealed
 * as they are stored (sealPlanEvent in plan.command.ts seals them in between).
 */
export type GoalAdded<Text extends string = Sealed> = PlanEventOf<
  'GoalAdded',
  { goal: Goal<Text> }
>;
export type GoalChanged = PlanEventOf<
  'GoalChanged',
  {
    goalId: string;
    lifecycleStatus?: GoalLifecycle;
    achievementStatus?: AchievementStatus;
    targetDate?: string;
  }
>;
export type ActionAdded<Text extends string = Sealed> = PlanEventOf<
  'ActionAdded',
  { action: Action<Text> }
>;
export type ActionCompleted = PlanEventOf<
  'ActionCompleted',
  { actionId: string; completedAt: string }
>;
export type ProgressNoteAdded<Text extends string = Sealed> = PlanEventOf<
  'ProgressNoteAdded',
  { note: ProgressNote<Text> }
>;
export type PlanSigned = PlanEventOf<
  'PlanSigned',
  { version: number; party: Party; signedBy: string; signedAt: string }
>;
export type PlanAgreed = PlanEventOf<'PlanAgreed', { version: number; agreedAt: string }>;
/** An agreed version is immutable: the first change after agreement opens the next version. */
export type PlanVersionOpened = PlanEventOf<'PlanVersionOpened', { version: number }>;
export type PlanClosed = PlanEventOf<'PlanClosed', { reason: ClosureReason; closedAt: string }>;

/** One event per change of holder: a handover names both the previous and the new holder. */
export type RegieAssigned = PlanEventOf<
  'RegieAssigned',
  { role: RegieRole; holder: RegieHolder; previous: RegieHolder | null; assignedAt: string }
>;
/** The plan was first agreed while nobody held casusregie. */
export type CasusregieVacant = PlanEventOf<'CasusregieVacant', { since: string }>;

export type PlanEvent<Text extends string = Sealed> =
  | PlanOpened
  | GoalAdded<Text>
  | GoalChanged
  | ActionAdded<Text>
  | ActionCompleted
  | ProgressNoteAdded<Text>
  | PlanSigned
  | PlanAgreed
  | PlanVersionOpened
  | PlanClosed
  | RegieAssigned
  | CasusregieVacant;

/** A plan event as `decide` makes it: its texts still plaintext. */
export type DecidedPlanEvent = PlanEvent<string>;

export const PLAN_EVENT_TYPES = [
  'gezinsplan.PlanOpened',
  'gezinsplan.GoalAdded',
  'gezinsplan.GoalChanged',
  'gezinsplan.ActionAdded',
  'gezinsplan.ActionCompleted',
  'gezinsplan.ProgressNoteAdded',
  'gezinsplan.PlanSigned',
  'gezinsplan.PlanAgreed',
  'gezinsplan.PlanVersionOpened',
  'gezinsplan.PlanClosed',
  'gezinsplan.RegieAssigned',
  'gezinsplan.CasusregieVacant',
] as const satisfies readonly PlanEvent['type'][];

/** What of each stored plan event is sealed: the audit hides exactly these (checked by type). */
export const PLAN_SEALED_FIELDS: SealedFieldsOf<PlanEvent> = {
  'gezinsplan.PlanOpened': {},
  'gezinsplan.GoalAdded': { 'goal.familyWording': true, 'goal.professionalWording': true },
  'gezinsplan.GoalChanged': {},
  'gezinsplan.ActionAdded': { 'action.description': true },
  'gezinsplan.ActionCompleted': {},
  'gezinsplan.ProgressNoteAdded': { 'note.text': true },
  'gezinsplan.PlanSigned': {},
  'gezinsplan.PlanAgreed': {},
  'gezinsplan.PlanVersionOpened': {},
  'gezinsplan.PlanClosed': {},
  'gezinsplan.RegieAssigned': {},
  'gezinsplan.CasusregieVacant': {},
};

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<EventsOf<PlanEvent, PlanEventView>, PlanEventView>;
