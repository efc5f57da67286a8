import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { SealedFieldsOf } from '#libs/personal-data/sealed-fields.js';
import type { Confidentiality } from '../kernel/life-domains.js';
import type { Deadlines, Holder, Level, MaatwerkKind, SignalCategory } from './escalation.model.js';
import type { EventsOf, ReadableAs } from '#libs/event-store/event-view.js';
import type { EscalationEventView } from '../privacy/privacy-facts.fold.js';

type EscalationEventOf<Name extends string, Data> = DomainEvent<
  `escalation.${Name}`,
  Data & { escalationId: string }
>;

/** A stagnation signal: it starts the ladder at level 0, held by the casusregisseur. */
export type SignalRaised<Text extends string = Sealed> = EscalationEventOf<
  'SignalRaised',
  {
    familyId: string;
    teamId: string;
    signalId: string;
    category: SignalCategory;
    description: Text;
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
/**
 * By hand (the professional's reason, sealed) or automatically when a deadline of the level
 * overran (the system's own sentence, which stays readable).
 */
export type Escalated<Text extends string = Sealed> = EscalationEventOf<
  'Escalated',
  {
    fromLevel: Level;
    toLevel: Level;
    holder: Holder | null;
    deadlines: Deadlines;
    escalatedAt: string;
  } & ({ automatic: false; reason: Text } | { automatic: true; reason: string })
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
export type DecisionTaken<Text extends string = Sealed> = EscalationEventOf<
  'DecisionTaken',
  {
    solution: Text;
    maatwerk: MaatwerkKind;
    justification: Text;
    budgetEuros: number | null;
    directives: Array<{
      directiveId: string;
      organisation: string;
      description: Text;
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
export type Resolved<Text extends string = Sealed> = EscalationEventOf<
  'Resolved',
  { outcome: Text; resolvedAt: string }
>;
export type Withdrawn<Text extends string = Sealed> = EscalationEventOf<
  'Withdrawn',
  { reason: Text; withdrawnAt: string }
>;
/** The same stagnation returned within the reopening window: back at the level it ended on. */
export type Reopened<Text extends string = Sealed> = EscalationEventOf<
  'Reopened',
  { reason: Text; level: Level; deadlines: Deadlines; reopenedAt: string }
>;

/**
 * Events whose data carries free text are generic in it: `string` as `decide` makes them, Sealed
 * as they are stored (sealEscalationEvent in escalation-command.service.ts seals them in between).
 */
export type EscalationEvent<Text extends string = Sealed> =
  | SignalRaised<Text>
  | Acknowledged
  | Escalated<Text>
  | HolderAppointed
  | DeadlineMissed
  | DecisionTaken<Text>
  | DirectiveCompleted
  | DirectiveOverdue
  | Resolved<Text>
  | Withdrawn<Text>
  | Reopened<Text>;

/** An escalation event as `decide` makes it: its texts still plaintext. */
export type DecidedEscalationEvent = EscalationEvent<string>;

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

/**
 * What of each stored escalation event is sealed (checked against the event types); the
 * escalation history opens exactly these. An Escalated event's reason is sealed only when a
 * professional escalated by hand.
 */
export const ESCALATION_SEALED_FIELDS: SealedFieldsOf<EscalationEvent> = {
  'escalation.SignalRaised': { description: true },
  'escalation.Acknowledged': {},
  'escalation.Escalated': { reason: true },
  'escalation.HolderAppointed': {},
  'escalation.DeadlineMissed': {},
  'escalation.DecisionTaken': {
    solution: true,
    justification: true,
    'directives[].description': true,
  },
  'escalation.DirectiveCompleted': {},
  'escalation.DirectiveOverdue': {},
  'escalation.Resolved': { outcome: true },
  'escalation.Withdrawn': { reason: true },
  'escalation.Reopened': { reason: true },
};

/**
 * The sealed fields of one stored event, from its type and data: the declaration's, except the
 * reason of an automatic step, which is the system's own sentence and was never sealed.
 */
export function sealedFieldsOf(type: string, data: object): readonly string[] {
  if (!Object.hasOwn(ESCALATION_SEALED_FIELDS, type)) return [];
  if (type === 'escalation.Escalated' && 'automatic' in data && data.automatic === true) return [];
  return Object.keys(ESCALATION_SEALED_FIELDS[type as EscalationEvent['type']]);
}

/** The privacy lens folds these through its own view of them (privacy-facts.fold.ts). */
export type ReadByThePrivacyLens = ReadableAs<
  EventsOf<EscalationEvent, EscalationEventView>,
  EscalationEventView
>;
