import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { Confidentiality } from '../kernel/life-domains.js';
import type { Deadlines, Holder, Level, MaatwerkKind, SignalCategory } from './escalation.model.js';
import type { EventsOf, ReadableAs } from '#libs/event-store/event-view.js';
import type { EscalationEventView } from '../privacy/privacy-facts.fold.js';

type EscalationEventOf<Name extends string, Data> = DomainEvent<
  `escalation.${Name}`,
  Data & { escalationId: string }
>;

/** A stagnation signal: it starts the ladder at level 0, held by the casusregisseur. */
export type SignalRaised = EscalationEventOf<
  'SignalRaised',
  {
    familyId: string;
    teamId: string;
    signalId: string;
    category: SignalCategory;
    description: string;
    automatic: boolean;
    cause: string | null;
    /** The professional's id, or `system` for an automatic signal. */
    raisedBy: string;
    /** The casusregisseur, who holds level 0; null while casusregie is vacant. */
    holder: Holder | null;
    /** Who may read the signal's texts beyond the dossier holders (privacy.md). */
    confidentiality?: Confidentiality;
    deadlines: Deadlines;
    raisedAt: string;
  }
>;
export type Acknowledged = EscalationEventOf<'Acknowledged', { acknowledgedAt: string }>;
/** By hand (a reason) or automatically when a deadline of the level overran. */
export type Escalated = EscalationEventOf<
  'Escalated',
  {
    fromLevel: Level;
    toLevel: Level;
    reason: string;
    automatic: boolean;
    holder: Holder | null;
    deadlines: Deadlines;
    escalatedAt: string;
  }
>;
export type HolderAppointed = EscalationEventOf<
  'HolderAppointed',
  { level: Level; holder: Holder; appointedAt: string }
>;
/** A deadline of the top level passed: there is no level above, so it is recorded and alerted. */
export type DeadlineMissed = EscalationEventOf<
  'DeadlineMissed',
  { level: Level; deadline: 'respondBy' | 'resolveBy'; dueAt: string; holderId: string | null }
>;
export type DecisionTaken = EscalationEventOf<
  'DecisionTaken',
  {
    solution: string;
    maatwerk: MaatwerkKind;
    justification: string;
    budgetEuros: number | null;
    directives: Array<{
      directiveId: string;
      organisation: string;
      description: string;
      dueDate: string;
    }>;
    decidedAt: string;
  }
>;
export type DirectiveCompleted = EscalationEventOf<
  'DirectiveCompleted',
  { directiveId: string; completedAt: string }
>;
export type DirectiveOverdue = EscalationEventOf<
  'DirectiveOverdue',
  /** holderId: the brandpuntfunctionaris to alert. */
  { directiveId: string; organisation: string; dueDate: string; holderId: string | null }
>;
export type Resolved = EscalationEventOf<'Resolved', { outcome: string; resolvedAt: string }>;
export type Withdrawn = EscalationEventOf<'Withdrawn', { reason: string; withdrawnAt: string }>;
/** The same stagnation returned within the reopening window: back at the level it ended on. */
export type Reopened = EscalationEventOf<
  'Reopened',
  { reason: string; level: Level; deadlines: Deadlines; reopenedAt: string }
>;

export type EscalationEvent =
  | SignalRaised
  | Acknowledged
  | Escalated
  | HolderAppointed
  | DeadlineMissed
  | DecisionTaken
  | DirectiveCompleted
  | DirectiveOverdue
  | Resolved
  | Withdrawn
  | Reopened;

export const ESCALATION_EVENT_TYPES = [
  'escalation.SignalRaised',
  'escalation.Acknowledged',
  'escalation.Escalated',
  'escalation.HolderAppointed',
  'escalation.DeadlineMissed',
  'escalation.DecisionTaken',
  'escalation.DirectiveCompleted',
  'escalation.DirectiveOverdue',
  'escalation.Resolved',
  'escalation.Withdrawn',
  'escalation.Reopened',
] as const satisfies readonly EscalationEvent['type'][];

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<
  EventsOf<EscalationEvent, EscalationEventView>,
  EscalationEventView
>;
