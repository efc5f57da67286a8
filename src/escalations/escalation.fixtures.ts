import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import { DEFAULT_MUNICIPALITIES } from '../../config/municipalities.js';
import {
  MIN_JUSTIFICATION_LENGTH,
  type EscalationContext,
  type NewDecision,
  type NewSignal,
} from './escalation.decide.js';
import type { DecidedEscalationEvent, EscalationEvent, SignalRaised } from './escalation.events.js';
import { evolveEscalation, INITIAL_ESCALATION_STATE } from './escalation.evolve.js';
import type { Deadlines, Escalation, Holder, Level } from './escalation.model.js';
import { Ladder } from './ladder.js';

// One escalation's story on the Almere ladder, shared by the escalation decider's specs.
export const almere = DEFAULT_MUNICIPALITIES.almere;
export const ladder = new Ladder(new WorkingDayCalendar(almere.calendar), almere.escalation);
export const at = (iso: string): EscalationContext => ({ now: new Date(iso), ladder });

export const DAY_MS = 24 * 60 * 60 * 1000;
export const ID = 'esc-1';

/** A stored text as the history holds it: a stand-in, as the rules never read stored texts. */
export const sealed = (text: string) => text as Sealed;

// Sanne is the casusregisseur (on the case team); Pieter, Rosa and Bram are independent.
export const sanne: Holder = {
  professionalId: 'prof-sanne',
  name: 'Sanne',
  organisation: 'SLT Haven',
};
export const joyce: Holder = {
  professionalId: 'prof-joyce',
  name: 'Joyce',
  organisation: 'JGZ Almere',
};
export const pieter: Holder = {
  professionalId: 'prof-pieter',
  name: 'Pieter',
  organisation: 'Gemeente',
};
export const rosa: Holder = { professionalId: 'prof-rosa', name: 'Rosa', organisation: 'Gemeente' };
export const bram: Holder = { professionalId: 'prof-bram', name: 'Bram', organisation: 'Gemeente' };
export const independent = { onCaseTeam: false, holdsAction: false };

// Monday 23 November 2026 and the deadlines the Almere ladder gives from there (worked by hand).
export const T0 = '2026-11-23T10:00:00.000Z';
export const L0: Deadlines = {
  respondBy: '2026-11-26T00:00:00.000Z', // Tue 24, Wed 25
  resolveBy: '2026-12-08T00:00:00.000Z', // 24..27, 30..4 Dec, Mon 7 Dec
};
// Escalated to level 1 on Tuesday 24 November: appoint 3, resolve 20 working days.
export const T1 = '2026-11-24T10:00:00.000Z';
export const L1: Deadlines = {
  respondBy: '2026-11-28T00:00:00.000Z', // Wed 25, Thu 26, Fri 27
  resolveBy: '2026-12-23T00:00:00.000Z', // 25..27, 30..4, 7..11, 14..18, 21, Tue 22
};
export const T1_APPOINTED = '2026-11-25T09:00:00.000Z';
// Escalated to level 2 on Monday 30 November: appoint 2, decide 10 working days.
export const T2 = '2026-11-30T09:00:00.000Z';
export const L2: Deadlines = {
  respondBy: '2026-12-03T00:00:00.000Z', // Tue 1, Wed 2 December
  resolveBy: '2026-12-15T00:00:00.000Z', // 1..4, 7..11, Mon 14 December
};
export const T2_APPOINTED = '2026-12-01T09:00:00.000Z';
export const T_DECIDED = '2026-12-07T10:00:00.000Z';

export const signal: NewSignal = {
  familyId: 'f-1',
  teamId: 'team-1',
  signalId: 'sig-1',
  category: 'agreements_not_kept',
  description: 'pd1:f-1:xxx',
  automatic: false,
  cause: null,
  raisedBy: 'prof-sanne',
  holder: sanne,
};

export const raised: SignalRaised = {
  type: 'escalation.SignalRaised',
  data: {
    escalationId: ID,
    ...signal,
    description: sealed(signal.description),
    deadlines: L0,
    raisedAt: T0,
  },
};
export const escalated = (
  fromLevel: Level,
  toLevel: Level,
  escalatedAt: string,
  deadlines: Deadlines,
  holder: Holder | null = null,
): EscalationEvent => ({
  type: 'escalation.Escalated',
  data: {
    escalationId: ID,
    fromLevel,
    toLevel,
    reason: sealed('pd1:f-1:reason'),
    automatic: false,
    holder,
    deadlines,
    escalatedAt,
  },
});
export const appointed = (level: Level, holder: Holder, appointedAt: string): EscalationEvent => ({
  type: 'escalation.HolderAppointed',
  data: { escalationId: ID, level, holder, appointedAt },
});

export const directives = [
  {
    directiveId: 'd-1',
    organisation: 'SLT Haven',
    description: 'pd1:f-1:directive-1',
    dueDate: '2026-12-21',
  },
  {
    directiveId: 'd-2',
    organisation: 'GGD Flevoland',
    description: 'pd1:f-1:directive-2',
    dueDate: '2027-01-15',
  },
];
export const decision: NewDecision = {
  solution: 'pd1:f-1:solution',
  maatwerk: 'combinatie',
  // Plain, exactly as long as the rule asks: decide measures the text itself.
  justification: 'j'.repeat(MIN_JUSTIFICATION_LENGTH),
  budgetEuros: 2500,
  directives,
};
export const decided: EscalationEvent = {
  type: 'escalation.DecisionTaken',
  data: {
    escalationId: ID,
    solution: sealed(decision.solution),
    maatwerk: decision.maatwerk,
    justification: sealed(decision.justification),
    budgetEuros: decision.budgetEuros,
    directives: directives.map((d) => ({ ...d, description: sealed(d.description) })),
    decidedAt: T_DECIDED,
  },
};

export const acknowledged = (acknowledgedAt: string): EscalationEvent => ({
  type: 'escalation.Acknowledged',
  data: { escalationId: ID, acknowledgedAt },
});
export const resolvedAt = (iso: string): EscalationEvent => ({
  type: 'escalation.Resolved',
  data: { escalationId: ID, outcome: sealed('pd1:f-1:outcome'), resolvedAt: iso },
});
export const withdrawnAt = (iso: string): EscalationEvent => ({
  type: 'escalation.Withdrawn',
  data: { escalationId: ID, reason: sealed('pd1:f-1:reason'), withdrawnAt: iso },
});

export const atLevel1: EscalationEvent[] = [raised, escalated(0, 1, T1, L1)];
export const atLevel1Held: EscalationEvent[] = [...atLevel1, appointed(1, pieter, T1_APPOINTED)];
export const atLevel2: EscalationEvent[] = [...atLevel1Held, escalated(1, 2, T2, L2)];
export const atLevel2Held: EscalationEvent[] = [...atLevel2, appointed(2, bram, T2_APPOINTED)];
export const withDecision: EscalationEvent[] = [...atLevel2Held, decided];

/**
 * Decided events as a later command's history holds them. Sealing them is the pipeline's work;
 * the texts here are stand-ins already, and the rules never read a stored text.
 */
export const stored = (events: readonly DecidedEscalationEvent[]) =>
  events as readonly EscalationEvent[];

/** The escalation a stream folds to, as the pipeline loads it (decided events included). */
export function foldOf(events: readonly DecidedEscalationEvent[]): Escalation {
  const e = events.reduce(evolveEscalation, INITIAL_ESCALATION_STATE).escalation;
  if (!e) throw new Error('Expected an escalation');
  return e;
}

/**
 * The field a refused decision names: `thenFails` checks the class and message only, and the
 * field is what the HTTP problem's `errors` report. Anything but a rule violation is rethrown.
 */
export function violatedField(decision: { events(): unknown }): string | undefined {
  try {
    decision.events();
  } catch (error) {
    if (error instanceof DomainRuleViolation) return error.field ?? 'no field';
    throw error;
  }
  return 'nothing refused';
}
