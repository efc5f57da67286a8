import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import { DEFAULT_MUNICIPALITIES } from '../../config/municipalities.js';
import {
  EscalationType,
  MIN_JUSTIFICATION_LENGTH,
  type EscalationContext,
  type NewDecision,
  type NewSignal,
} from './escalation.aggregate.js';
import type { EscalationEvent } from './escalation.events.js';
import { evolveEscalation, INITIAL_ESCALATION_STATE } from './escalation.evolve.js';
import {
  SIGNAL_CATEGORIES,
  type Deadlines,
  type Escalation,
  type Holder,
  type Level,
} from './escalation.model.js';
import { Ladder } from './ladder.js';

const almere = DEFAULT_MUNICIPALITIES.almere;
const ladder = new Ladder(new WorkingDayCalendar(almere.calendar), almere.escalation);
const at = (iso: string): EscalationContext => ({ now: new Date(iso), ladder });

const DAY_MS = 24 * 60 * 60 * 1000;
const ID = 'esc-1';

// Sanne is the casusregisseur (on the case team); Pieter, Rosa and Bram are independent.
const sanne: Holder = { professionalId: 'prof-sanne', name: 'Sanne', organisation: 'SLT Haven' };
const joyce: Holder = { professionalId: 'prof-joyce', name: 'Joyce', organisation: 'JGZ Almere' };
const pieter: Holder = { professionalId: 'prof-pieter', name: 'Pieter', organisation: 'Gemeente' };
const rosa: Holder = { professionalId: 'prof-rosa', name: 'Rosa', organisation: 'Gemeente' };
const bram: Holder = { professionalId: 'prof-bram', name: 'Bram', organisation: 'Gemeente' };
const independent = { onCaseTeam: false, holdsAction: false };

// Monday 23 November 2026 and the deadlines the Almere ladder gives from there (worked by hand).
const T0 = '2026-11-23T10:00:00.000Z';
const L0: Deadlines = {
  respondBy: '2026-11-26T00:00:00.000Z', // Tue 24, Wed 25
  resolveBy: '2026-12-08T00:00:00.000Z', // 24..27, 30..4 Dec, Mon 7 Dec
};
// Escalated to level 1 on Tuesday 24 November: appoint 3, resolve 20 working days.
const T1 = '2026-11-24T10:00:00.000Z';
const L1: Deadlines = {
  respondBy: '2026-11-28T00:00:00.000Z', // Wed 25, Thu 26, Fri 27
  resolveBy: '2026-12-23T00:00:00.000Z', // 25..27, 30..4, 7..11, 14..18, 21, Tue 22
};
const T1_APPOINTED = '2026-11-25T09:00:00.000Z';
// Escalated to level 2 on Monday 30 November: appoint 2, decide 10 working days.
const T2 = '2026-11-30T09:00:00.000Z';
const L2: Deadlines = {
  respondBy: '2026-12-03T00:00:00.000Z', // Tue 1, Wed 2 December
  resolveBy: '2026-12-15T00:00:00.000Z', // 1..4, 7..11, Mon 14 December
};
const T2_APPOINTED = '2026-12-01T09:00:00.000Z';
const T_DECIDED = '2026-12-07T10:00:00.000Z';

const signal: NewSignal = {
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

const raised: EscalationEvent = {
  type: 'escalation.SignalRaised',
  data: { escalationId: ID, ...signal, deadlines: L0, raisedAt: T0 },
};
const escalated = (
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
    reason: 'pd1:f-1:reason',
    automatic: false,
    holder,
    deadlines,
    escalatedAt,
  },
});
const appointed = (level: Level, holder: Holder, appointedAt: string): EscalationEvent => ({
  type: 'escalation.HolderAppointed',
  data: { escalationId: ID, level, holder, appointedAt },
});

const directives = [
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
const decision: NewDecision = {
  solution: 'pd1:f-1:solution',
  maatwerk: 'combinatie',
  // Plain, exactly as long as the rule asks: decide measures the text itself.
  justification: 'j'.repeat(MIN_JUSTIFICATION_LENGTH),
  budgetEuros: 2500,
  directives,
};
const decided: EscalationEvent = {
  type: 'escalation.DecisionTaken',
  data: {
    escalationId: ID,
    solution: decision.solution,
    maatwerk: decision.maatwerk,
    justification: decision.justification,
    budgetEuros: decision.budgetEuros,
    directives,
    decidedAt: T_DECIDED,
  },
};

const atLevel1: EscalationEvent[] = [raised, escalated(0, 1, T1, L1)];
const atLevel1Held: EscalationEvent[] = [...atLevel1, appointed(1, pieter, T1_APPOINTED)];
const atLevel2: EscalationEvent[] = [...atLevel1Held, escalated(1, 2, T2, L2)];
const atLevel2Held: EscalationEvent[] = [...atLevel2, appointed(2, bram, T2_APPOINTED)];
const withDecision: EscalationEvent[] = [...atLevel2Held, decided];

function given(events: EscalationEvent[]) {
  const escalation = EscalationType.create(ID);
  escalation.loadFromHistory(events);
  return escalation;
}

const stateOf = (aggregate: ReturnType<typeof given>): Escalation => {
  const e = aggregate.currentState.escalation;
  if (!e) throw new Error('Expected an escalation');
  return e;
};

function caught(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the command to throw');
}

function expectViolation(attempt: () => unknown, field: string): void {
  const error = caught(attempt);
  expect(error).toBeInstanceOf(DomainRuleViolation);
  expect((error as DomainRuleViolation).field).toBe(field);
}

describe('Escalation', () => {
  describe('raise', () => {
    it('Given nothing, When a signal is raised on a Monday, Then it opens at level 0 with acknowledge 2 and resolve 10 working days', () => {
      const escalation = given([]);

      escalation.raise(signal, at(T0));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.SignalRaised',
          data: {
            escalationId: ID,
            familyId: 'f-1',
            teamId: 'team-1',
            signalId: 'sig-1',
            category: 'agreements_not_kept',
            description: 'pd1:f-1:xxx',
            automatic: false,
            cause: null,
            raisedBy: 'prof-sanne',
            holder: sanne,
            deadlines: {
              respondBy: '2026-11-26T00:00:00.000Z',
              resolveBy: '2026-12-08T00:00:00.000Z',
            },
            raisedAt: T0,
          },
        },
      ]);
      expect(escalation.currentState).toEqual({
        escalation: {
          escalationId: ID,
          familyId: 'f-1',
          teamId: 'team-1',
          signalId: 'sig-1',
          category: 'agreements_not_kept',
          description: 'pd1:f-1:xxx',
          automatic: false,
          cause: null,
          raisedBy: 'prof-sanne',
          raisedAt: T0,
          level: 0,
          status: 'open',
          holder: sanne,
          involved: ['prof-sanne'],
          deadlines: {
            respondBy: '2026-11-26T00:00:00.000Z',
            resolveBy: '2026-12-08T00:00:00.000Z',
          },
          respondedAt: null,
          missed: [],
          periods: [{ level: 0, enteredAt: T0, leftAt: null }],
          decision: null,
          closedAt: null,
          closingText: null,
          reopened: 0,
        },
      });
      expect(escalation.escalation).toBe(escalation.currentState.escalation);
    });

    it('Given nothing, When a safety signal is raised on a Monday, Then both deadlines are the end of Tuesday', () => {
      const escalation = given([]);

      escalation.raise({ ...signal, category: 'safety' }, at(T0));

      expect(stateOf(escalation).deadlines).toEqual({
        respondBy: '2026-11-25T00:00:00.000Z',
        resolveBy: '2026-11-25T00:00:00.000Z',
      });
    });

    it('Given nothing, When a signal is raised on 23 December, Then Christmas, the weekend and New Year do not count', () => {
      const escalation = given([]);

      escalation.raise(signal, at('2026-12-23T10:00:00Z'));

      // Thu 24 Dec, (25/26 Christmas, 27 Sunday) Mon 28 Dec; then 29..31 Dec, (1 Jan) 4..8 Jan.
      expect(stateOf(escalation).deadlines).toEqual({
        respondBy: '2026-12-29T00:00:00.000Z',
        resolveBy: '2027-01-09T00:00:00.000Z',
      });
    });

    it('Given nothing, When a safety signal is raised on Christmas Eve, Then its one working day is Monday 28 December', () => {
      const escalation = given([]);

      escalation.raise({ ...signal, category: 'safety' }, at('2026-12-24T16:00:00Z'));

      expect(stateOf(escalation).deadlines).toEqual({
        respondBy: '2026-12-29T00:00:00.000Z',
        resolveBy: '2026-12-29T00:00:00.000Z',
      });
    });

    it('Given nothing, When an automatic signal is raised while casusregie is vacant, Then nobody holds or is involved', () => {
      const escalation = given([]);

      escalation.raise(
        {
          ...signal,
          category: 'regie_vacant',
          automatic: true,
          cause: 'regie-vacant:f-1',
          raisedBy: 'system',
          holder: null,
        },
        at(T0),
      );

      const e = stateOf(escalation);
      expect(e.holder).toBeNull();
      expect(e.involved).toEqual([]);
      expect(e.automatic).toBe(true);
      expect(e.cause).toBe('regie-vacant:f-1');
    });

    it('Given a raised signal, When it is raised again, Then it is a conflict', () => {
      const escalation = given([raised]);

      expect(() => escalation.raise(signal, at(T1))).toThrow(DomainConflict);
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });
  });

  describe('acknowledge', () => {
    it('Given a signal at level 0, When the casusregisseur acknowledges, Then it is responded to', () => {
      const escalation = given([raised]);

      escalation.acknowledge(at('2026-11-24T08:30:00Z'));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Acknowledged',
          data: { escalationId: ID, acknowledgedAt: '2026-11-24T08:30:00.000Z' },
        },
      ]);
      expect(stateOf(escalation).respondedAt).toBe('2026-11-24T08:30:00.000Z');
      expect(stateOf(escalation).level).toBe(0);
    });

    it('Given an acknowledged signal, When it is acknowledged again, Then it is a conflict', () => {
      const escalation = given([raised]);
      escalation.acknowledge(at(T1));

      expect(() => escalation.acknowledge(at(T1))).toThrow(DomainConflict);
      expect(escalation.getUncommittedEvents()).toHaveLength(1);
    });

    it('Given an escalation at level 1, When it is acknowledged, Then the rule names the level', () => {
      const escalation = given(atLevel1);

      expectViolation(() => escalation.acknowledge(at(T1)), 'level');
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given no escalation, When acknowledged, Then it is not found', () => {
      expect(() => given([]).acknowledge(at(T0))).toThrow(DomainNotFound);
    });

    it('Given a withdrawn signal, When acknowledged, Then it is a conflict', () => {
      const escalation = given([raised]);
      escalation.withdraw('pd1:f-1:xxx', at(T1));

      expect(() => escalation.acknowledge(at(T1))).toThrow(DomainConflict);
    });
  });

  describe('escalate', () => {
    it('Given a signal at level 0, When escalated by hand, Then level 1 starts with appoint 3 and resolve 20 working days from now', () => {
      const escalation = given([raised]);

      escalation.escalate('pd1:f-1:reason', null, false, at(T1));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Escalated',
          data: {
            escalationId: ID,
            fromLevel: 0,
            toLevel: 1,
            reason: 'pd1:f-1:reason',
            automatic: false,
            holder: null,
            deadlines: {
              respondBy: '2026-11-28T00:00:00.000Z',
              resolveBy: '2026-12-23T00:00:00.000Z',
            },
            escalatedAt: T1,
          },
        },
      ]);
      const e = stateOf(escalation);
      expect(e.level).toBe(1);
      expect(e.holder).toBeNull();
      expect(e.respondedAt).toBeNull();
      expect(e.involved).toEqual(['prof-sanne']);
      expect(e.periods).toEqual([
        { level: 0, enteredAt: T0, leftAt: T1 },
        { level: 1, enteredAt: T1, leftAt: null },
      ]);
    });

    it('Given level 1, When escalated, Then level 2 starts with appoint 2 and decide 10 working days from now', () => {
      const escalation = given(atLevel1Held);

      escalation.escalate('pd1:f-1:reason', null, false, at(T2));

      expect(escalation.getUncommittedEvents()).toEqual([escalated(1, 2, T2, L2)]);
      expect(L2).toEqual({
        respondBy: '2026-12-03T00:00:00.000Z',
        resolveBy: '2026-12-15T00:00:00.000Z',
      });
      const e = stateOf(escalation);
      expect(e.level).toBe(2);
      expect(e.holder).toBeNull();
      expect(e.respondedAt).toBeNull();
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter']);
      expect(e.periods).toEqual([
        { level: 0, enteredAt: T0, leftAt: T1 },
        { level: 1, enteredAt: T1, leftAt: T2 },
        { level: 2, enteredAt: T2, leftAt: null },
      ]);
    });

    it('Given level 2, When escalated, Then the rule names the level', () => {
      const escalation = given(atLevel2Held);

      expectViolation(
        () => escalation.escalate('pd1:f-1:reason', null, false, at(T_DECIDED)),
        'level',
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 0, When escalated with a standing procesregisseur, Then they hold level 1 at once', () => {
      const escalation = given([raised]);

      escalation.escalate('pd1:f-1:reason', pieter, false, at(T1));

      const e = stateOf(escalation);
      expect(e.holder).toEqual(pieter);
      expect(e.respondedAt).toBe(T1);
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter']);
    });

    it('Given a safety signal at level 0, When escalated at once, Then level 1 runs on the normal level-1 deadlines', () => {
      const escalation = given([]);
      escalation.raise({ ...signal, category: 'safety' }, at(T0));

      escalation.escalate('pd1:f-1:reason', null, false, at(T0));

      // From Monday 23 November: 24, 25, 26 -> end of Thursday; 20 working days -> Mon 21 Dec.
      expect(stateOf(escalation).deadlines).toEqual({
        respondBy: '2026-11-27T00:00:00.000Z',
        resolveBy: '2026-12-22T00:00:00.000Z',
      });
    });

    it('Given a resolved escalation, When escalated, Then it is a conflict', () => {
      const escalation = given([raised, { ...resolvedAt('2026-11-25T10:00:00.000Z') }]);

      expect(() => escalation.escalate('pd1:f-1:reason', null, false, at(T2))).toThrow(
        DomainConflict,
      );
    });
  });

  describe('appoint', () => {
    it('Given level 0, When someone is appointed, Then the rule names the level', () => {
      const escalation = given([raised]);

      expectViolation(() => escalation.appoint(pieter, independent, at(T1)), 'level');
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 1, When a case-team member is appointed, Then the rule names the professional', () => {
      const escalation = given(atLevel1);

      expectViolation(
        () => escalation.appoint(joyce, { onCaseTeam: true, holdsAction: false }, at(T1)),
        'professionalId',
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 2, When someone holding an action in the plan is appointed, Then the rule names the professional', () => {
      const escalation = given(atLevel2);

      expectViolation(
        () => escalation.appoint(bram, { onCaseTeam: false, holdsAction: true }, at(T2)),
        'professionalId',
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 1 without a holder, When an independent procesregisseur is appointed, Then they hold the level', () => {
      const escalation = given(atLevel1);

      escalation.appoint(pieter, independent, at(T1_APPOINTED));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.HolderAppointed',
          data: { escalationId: ID, level: 1, holder: pieter, appointedAt: T1_APPOINTED },
        },
      ]);
      const e = stateOf(escalation);
      expect(e.holder).toEqual(pieter);
      expect(e.respondedAt).toBe(T1_APPOINTED);
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter']);
    });

    it('Given an appointed procesregisseur, When the same professional is appointed again, Then it is a conflict', () => {
      const escalation = given(atLevel1Held);

      expect(() => escalation.appoint(pieter, independent, at(T2))).toThrow(DomainConflict);
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given an appointed procesregisseur, When another is appointed, Then they replace the first and both stay involved', () => {
      const escalation = given(atLevel1Held);

      escalation.appoint(rosa, independent, at('2026-11-26T09:00:00Z'));

      const e = stateOf(escalation);
      expect(e.holder).toEqual(rosa);
      expect(e.respondedAt).toBe('2026-11-26T09:00:00.000Z');
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter', 'prof-rosa']);
    });

    it('Given level 2, When the brandpuntfunctionaris is appointed, Then everyone who ever held a level is involved', () => {
      const escalation = given(atLevel2);

      escalation.appoint(bram, independent, at(T2_APPOINTED));

      expect(escalation.getUncommittedEvents()).toEqual([appointed(2, bram, T2_APPOINTED)]);
      expect(stateOf(escalation).involved).toEqual(['prof-sanne', 'prof-pieter', 'prof-bram']);
    });

    it('Given level 2 held by the former procesregisseur, When they are appointed again, Then it is a conflict', () => {
      const escalation = given([...atLevel1, escalated(1, 2, T2, L2, pieter)]);

      expect(() => escalation.appoint(pieter, independent, at(T2))).toThrow(DomainConflict);
    });
  });

  describe('deadlinePassed', () => {
    it('Given an unacknowledged signal, When its respondBy passes, Then it escalates to level 1 automatically from that moment', () => {
      const escalation = given([raised]);

      const acted = escalation.deadlinePassed('respondBy', L0.respondBy, pieter, at(L0.respondBy));

      expect(acted).toBe(true);
      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Escalated',
          data: {
            escalationId: ID,
            fromLevel: 0,
            toLevel: 1,
            reason: 'Not acknowledged by the deadline of level 0',
            automatic: true,
            holder: pieter,
            // From Thursday 26 November: 27, 30, 1 -> end of Tue 1 Dec; 20 -> Thu 24 Dec.
            deadlines: {
              respondBy: '2026-12-02T00:00:00.000Z',
              resolveBy: '2026-12-25T00:00:00.000Z',
            },
            escalatedAt: L0.respondBy,
          },
        },
      ]);
      expect(stateOf(escalation).respondedAt).toBe(L0.respondBy);
    });

    it('Given an unacknowledged signal, When the timer fires a millisecond early, Then nothing happens', () => {
      const escalation = given([raised]);

      expect(
        escalation.deadlinePassed('respondBy', L0.respondBy, null, at('2026-11-25T23:59:59.999Z')),
      ).toBe(false);
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given a timer with a dueAt that is not the current deadline, When it fires, Then nothing happens', () => {
      const escalation = given([raised]);

      expect(
        escalation.deadlinePassed(
          'respondBy',
          '2026-11-27T00:00:00.000Z',
          null,
          at('2026-11-28T00:00:00Z'),
        ),
      ).toBe(false);
      expect(escalation.deadlinePassed('resolveBy', L0.respondBy, null, at(L0.resolveBy))).toBe(
        false,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 1, When the stale level-0 timers fire, Then nothing happens', () => {
      const escalation = given(atLevel1);

      expect(escalation.deadlinePassed('respondBy', L0.respondBy, null, at(L0.resolveBy))).toBe(
        false,
      );
      expect(escalation.deadlinePassed('resolveBy', L0.resolveBy, null, at(L0.resolveBy))).toBe(
        false,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
      expect(stateOf(escalation).level).toBe(1);
    });

    it('Given an acknowledged signal, When its respondBy passes, Then nothing happens', () => {
      const escalation = given([raised]);
      escalation.acknowledge(at(T1));

      expect(escalation.deadlinePassed('respondBy', L0.respondBy, null, at(L0.respondBy))).toBe(
        false,
      );
      expect(escalation.getUncommittedEvents().map((e) => e.type)).toEqual([
        'escalation.Acknowledged',
      ]);
    });

    it('Given an acknowledged but unresolved signal, When its resolveBy passes, Then it escalates automatically', () => {
      const escalation = given([raised]);
      escalation.acknowledge(at(T1));

      expect(escalation.deadlinePassed('resolveBy', L0.resolveBy, null, at(L0.resolveBy))).toBe(
        true,
      );

      expect(escalation.getUncommittedEvents()[1]).toEqual({
        type: 'escalation.Escalated',
        data: {
          escalationId: ID,
          fromLevel: 0,
          toLevel: 1,
          reason: 'Not resolved by the deadline of level 0',
          automatic: true,
          holder: null,
          // From Tuesday 8 December: 9, 10, 11 -> end of Fri 11 Dec; 20 -> Thu 7 Jan.
          deadlines: {
            respondBy: '2026-12-12T00:00:00.000Z',
            resolveBy: '2027-01-08T00:00:00.000Z',
          },
          escalatedAt: L0.resolveBy,
        },
      });
    });

    it('Given level 1 without a procesregisseur, When its respondBy passes late, Then it escalates to level 2 with the next holder', () => {
      const escalation = given(atLevel1);

      expect(escalation.deadlinePassed('respondBy', L1.respondBy, bram, at(L1.respondBy))).toBe(
        true,
      );

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Escalated',
          data: {
            escalationId: ID,
            fromLevel: 1,
            toLevel: 2,
            reason: 'Not appointed by the deadline of level 1',
            automatic: true,
            holder: bram,
            // From Saturday 28 November: 30, 1 -> end of Tue 1 Dec; 10 -> Fri 11 Dec.
            deadlines: {
              respondBy: '2026-12-02T00:00:00.000Z',
              resolveBy: '2026-12-12T00:00:00.000Z',
            },
            escalatedAt: L1.respondBy,
          },
        },
      ]);
      expect(stateOf(escalation).holder).toEqual(bram);
    });

    it('Given level 1 with a procesregisseur, When its respondBy passes, Then nothing happens', () => {
      const escalation = given(atLevel1Held);

      expect(escalation.deadlinePassed('respondBy', L1.respondBy, null, at(L1.resolveBy))).toBe(
        false,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 2 without a decision, When its resolveBy passes, Then the miss is recorded once', () => {
      const escalation = given(atLevel2Held);

      expect(
        escalation.deadlinePassed('resolveBy', L2.resolveBy, null, at('2026-12-15T06:00:00Z')),
      ).toBe(true);
      expect(
        escalation.deadlinePassed('resolveBy', L2.resolveBy, null, at('2026-12-16T06:00:00Z')),
      ).toBe(false);

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.DeadlineMissed',
          data: {
            escalationId: ID,
            level: 2,
            deadline: 'resolveBy',
            dueAt: L2.resolveBy,
            holderId: 'prof-bram',
          },
        },
      ]);
      const e = stateOf(escalation);
      expect(e.missed).toEqual(['2:resolveBy']);
      expect(e.level).toBe(2);
      expect(e.status).toBe('open');
    });

    it('Given level 2 without a brandpuntfunctionaris, When its respondBy passes, Then the miss is recorded without a holder', () => {
      const escalation = given(atLevel2);

      expect(escalation.deadlinePassed('respondBy', L2.respondBy, bram, at(L2.respondBy))).toBe(
        true,
      );

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.DeadlineMissed',
          data: {
            escalationId: ID,
            level: 2,
            deadline: 'respondBy',
            dueAt: L2.respondBy,
            holderId: null,
          },
        },
      ]);
      expect(stateOf(escalation).holder).toBeNull();
    });

    it('Given a decision at level 2, When the resolveBy passes, Then nothing happens', () => {
      const escalation = given(withDecision);

      expect(escalation.deadlinePassed('resolveBy', L2.resolveBy, null, at(L2.resolveBy))).toBe(
        false,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given a closed escalation, When its deadlines pass, Then nothing happens', () => {
      const resolved = given([raised, resolvedAt('2026-11-24T12:00:00.000Z')]);
      const withdrawn = given([...atLevel2, withdrawnAt('2026-12-01T12:00:00.000Z')]);

      expect(resolved.deadlinePassed('respondBy', L0.respondBy, null, at(L0.resolveBy))).toBe(
        false,
      );
      expect(resolved.deadlinePassed('resolveBy', L0.resolveBy, null, at(L0.resolveBy))).toBe(
        false,
      );
      expect(withdrawn.deadlinePassed('resolveBy', L2.resolveBy, null, at(L2.resolveBy))).toBe(
        false,
      );
      expect(resolved.getUncommittedEvents()).toEqual([]);
      expect(withdrawn.getUncommittedEvents()).toEqual([]);
    });

    it('Given no escalation, When a timer fires, Then nothing happens', () => {
      const escalation = given([]);

      expect(escalation.deadlinePassed('respondBy', L0.respondBy, null, at(L0.resolveBy))).toBe(
        false,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });
  });

  describe('decide', () => {
    it('Given level 2 with a brandpuntfunctionaris, When they decide, Then the decision and its directives are recorded', () => {
      const escalation = given(atLevel2Held);

      escalation.decide(decision, 'prof-bram', at(T_DECIDED));

      expect(escalation.getUncommittedEvents()).toEqual([decided]);
      expect(stateOf(escalation).decision).toEqual({
        solution: 'pd1:f-1:solution',
        maatwerk: 'combinatie',
        justification: decision.justification,
        budgetEuros: 2500,
        decidedBy: 'prof-bram',
        decidedAt: T_DECIDED,
        directives: directives.map((d) => ({
          ...d,
          status: 'open',
          completedAt: null,
          overdue: false,
        })),
      });
      expect(stateOf(escalation).status).toBe('open');
    });

    it('Given level 1, When the procesregisseur decides, Then the rule names the level', () => {
      const escalation = given(atLevel1Held);

      expectViolation(() => escalation.decide(decision, 'prof-pieter', at(T2)), 'level');
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 2, When someone other than the brandpuntfunctionaris decides, Then the rule names the brandpuntfunctionaris', () => {
      const escalation = given(atLevel2Held);

      expectViolation(
        () => escalation.decide(decision, 'prof-pieter', at(T_DECIDED)),
        'brandpuntfunctionaris',
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 2 without a brandpuntfunctionaris, When anyone decides, Then the rule names the brandpuntfunctionaris', () => {
      const escalation = given(atLevel2);

      expectViolation(
        () => escalation.decide(decision, 'prof-bram', at(T_DECIDED)),
        'brandpuntfunctionaris',
      );
    });

    it('Given level 2, When the justification is one character too short, Then the rule names the justification', () => {
      const escalation = given(atLevel2Held);

      expectViolation(
        () =>
          escalation.decide(
            { ...decision, justification: 'j'.repeat(MIN_JUSTIFICATION_LENGTH - 1) },
            'prof-bram',
            at(T_DECIDED),
          ),
        'justification',
      );
      expect(MIN_JUSTIFICATION_LENGTH).toBe(80);
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 2, When a directive is due in the past, Then the rule names that directive', () => {
      const escalation = given(atLevel2Held);
      const past = { ...directives[0], dueDate: '2026-12-06' };

      expectViolation(
        () => escalation.decide({ ...decision, directives: [past] }, 'prof-bram', at(T_DECIDED)),
        'directives[0].dueDate',
      );
      expectViolation(
        () =>
          escalation.decide(
            { ...decision, directives: [directives[1], past] },
            'prof-bram',
            at(T_DECIDED),
          ),
        'directives[1].dueDate',
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given level 2, When a directive is due today, Then it is accepted', () => {
      const escalation = given(atLevel2Held);
      const today = { ...directives[0], dueDate: '2026-12-07' };

      escalation.decide({ ...decision, directives: [today] }, 'prof-bram', at(T_DECIDED));

      expect(stateOf(escalation).decision?.directives.map((d) => d.dueDate)).toEqual([
        '2026-12-07',
      ]);
    });

    it('Given a decision, When the brandpuntfunctionaris decides again, Then it is a conflict', () => {
      const escalation = given(withDecision);

      expect(() => escalation.decide(decision, 'prof-bram', at('2026-12-08T10:00:00Z'))).toThrow(
        DomainConflict,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });
  });

  describe('directives', () => {
    it('Given a decision, When an unknown directive is completed, Then it is not found', () => {
      const escalation = given(withDecision);

      expect(() => escalation.completeDirective('d-9', at(T_DECIDED))).toThrow(DomainNotFound);
    });

    it('Given no decision, When a directive is completed, Then it is not found', () => {
      const escalation = given(atLevel2Held);

      expect(() => escalation.completeDirective('d-1', at(T_DECIDED))).toThrow(DomainNotFound);
    });

    it('Given an open directive, When it is completed, Then it is done; a second time is a conflict', () => {
      const escalation = given(withDecision);

      escalation.completeDirective('d-1', at('2026-12-14T10:00:00Z'));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.DirectiveCompleted',
          data: { escalationId: ID, directiveId: 'd-1', completedAt: '2026-12-14T10:00:00.000Z' },
        },
      ]);
      expect(stateOf(escalation).decision?.directives).toEqual([
        {
          ...directives[0],
          status: 'done',
          completedAt: '2026-12-14T10:00:00.000Z',
          overdue: false,
        },
        { ...directives[1], status: 'open', completedAt: null, overdue: false },
      ]);
      expect(() => escalation.completeDirective('d-1', at('2026-12-15T10:00:00Z'))).toThrow(
        DomainConflict,
      );
      expect(escalation.getUncommittedEvents()).toHaveLength(1);
    });

    it('Given an open directive, When its deadline timer fires, Then the brandpuntfunctionaris is alerted once', () => {
      const escalation = given(withDecision);

      expect(escalation.directiveDue('d-1')).toBe(true);
      expect(escalation.directiveDue('d-1')).toBe(false);

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.DirectiveOverdue',
          data: {
            escalationId: ID,
            directiveId: 'd-1',
            organisation: 'SLT Haven',
            dueDate: '2026-12-21',
            holderId: 'prof-bram',
          },
        },
      ]);
      expect(stateOf(escalation).decision?.directives.map((d) => d.overdue)).toEqual([true, false]);
    });

    it('Given an overdue directive, When it is completed, Then it is done and stays marked overdue', () => {
      const escalation = given(withDecision);
      escalation.directiveDue('d-1');

      escalation.completeDirective('d-1', at('2026-12-23T10:00:00Z'));

      expect(stateOf(escalation).decision?.directives[0]).toMatchObject({
        status: 'done',
        overdue: true,
      });
    });

    it('Given a completed directive, When its deadline timer fires, Then nothing happens', () => {
      const escalation = given(withDecision);
      escalation.completeDirective('d-1', at('2026-12-14T10:00:00Z'));

      expect(escalation.directiveDue('d-1')).toBe(false);
      expect(escalation.getUncommittedEvents().map((e) => e.type)).toEqual([
        'escalation.DirectiveCompleted',
      ]);
    });

    it('Given no such directive or no decision, When a directive timer fires, Then nothing happens', () => {
      expect(given(withDecision).directiveDue('d-9')).toBe(false);
      expect(given(atLevel2Held).directiveDue('d-1')).toBe(false);
      expect(given([]).directiveDue('d-1')).toBe(false);
    });

    it('Given a resolved escalation with an open directive, When its timer fires, Then nothing happens', () => {
      const escalation = given([...withDecision, resolvedAt('2026-12-10T12:00:00.000Z')]);

      expect(escalation.directiveDue('d-1')).toBe(false);
      expect(() => escalation.completeDirective('d-1', at('2026-12-11T10:00:00Z'))).toThrow(
        DomainConflict,
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });
  });

  describe('resolve and withdraw', () => {
    it('Given an open escalation at level 1, When resolved, Then it is closed with the outcome and no open period', () => {
      const escalation = given(atLevel1Held);

      escalation.resolve('pd1:f-1:outcome', at('2026-12-01T10:00:00Z'));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Resolved',
          data: {
            escalationId: ID,
            outcome: 'pd1:f-1:outcome',
            resolvedAt: '2026-12-01T10:00:00.000Z',
          },
        },
      ]);
      const e = stateOf(escalation);
      expect(e.status).toBe('resolved');
      expect(e.closedAt).toBe('2026-12-01T10:00:00.000Z');
      expect(e.closingText).toBe('pd1:f-1:outcome');
      expect(e.level).toBe(1);
      expect(e.periods).toEqual([
        { level: 0, enteredAt: T0, leftAt: T1 },
        { level: 1, enteredAt: T1, leftAt: '2026-12-01T10:00:00.000Z' },
      ]);
    });

    it('Given an open signal, When withdrawn, Then it is closed with the reason and no open period', () => {
      const escalation = given([raised]);

      escalation.withdraw('pd1:f-1:reason', at(T1));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Withdrawn',
          data: { escalationId: ID, reason: 'pd1:f-1:reason', withdrawnAt: T1 },
        },
      ]);
      const e = stateOf(escalation);
      expect(e.status).toBe('withdrawn');
      expect(e.closedAt).toBe(T1);
      expect(e.closingText).toBe('pd1:f-1:reason');
      expect(e.periods).toEqual([{ level: 0, enteredAt: T0, leftAt: T1 }]);
    });

    it('Given a closed escalation, When resolved or withdrawn again, Then it is a conflict', () => {
      const resolved = given([raised, resolvedAt('2026-11-24T12:00:00.000Z')]);
      const withdrawn = given([raised, withdrawnAt('2026-11-24T12:00:00.000Z')]);

      expect(() => resolved.resolve('pd1:f-1:xxx', at(T2))).toThrow(DomainConflict);
      expect(() => resolved.withdraw('pd1:f-1:xxx', at(T2))).toThrow(DomainConflict);
      expect(() => withdrawn.resolve('pd1:f-1:xxx', at(T2))).toThrow(DomainConflict);
      expect(() => withdrawn.withdraw('pd1:f-1:xxx', at(T2))).toThrow(DomainConflict);
      expect(resolved.getUncommittedEvents()).toEqual([]);
      expect(withdrawn.getUncommittedEvents()).toEqual([]);
    });

    it('Given no escalation, When resolved, Then it is not found', () => {
      expect(() => given([]).resolve('pd1:f-1:xxx', at(T0))).toThrow(DomainNotFound);
      expect(() => given([]).withdraw('pd1:f-1:xxx', at(T0))).toThrow(DomainNotFound);
    });
  });

  describe('reopen', () => {
    const CLOSED = '2026-12-10T12:00:00.000Z';
    const resolvedAtTop = [...withDecision, resolvedAt(CLOSED)];

    it('Given an open escalation, When reopened, Then it is a conflict', () => {
      expect(() => given(atLevel1).reopen('pd1:f-1:xxx', at(T2))).toThrow(DomainConflict);
    });

    it('Given no escalation, When reopened, Then it is not found', () => {
      expect(() => given([]).reopen('pd1:f-1:xxx', at(T2))).toThrow(DomainNotFound);
    });

    it('Given a signal withdrawn at level 0, When reopened, Then the casusregisseur must acknowledge it again', () => {
      const escalation = given([
        raised,
        {
          type: 'escalation.Acknowledged',
          data: { escalationId: ID, acknowledgedAt: '2026-11-23T12:00:00.000Z' },
        },
        withdrawnAt('2026-11-24T12:00:00.000Z'),
      ]);

      escalation.reopen('pd1:f-1:reason', at('2026-11-25T12:00:00.000Z'));

      expect(stateOf(escalation)).toMatchObject({ level: 0, holder: sanne, respondedAt: null });
      escalation.acknowledge(at('2026-11-25T13:00:00.000Z'));
      expect(escalation.getUncommittedEvents().map((e) => e.type)).toEqual([
        'escalation.Reopened',
        'escalation.Acknowledged',
      ]);
    });

    it('Given an escalation resolved at level 2, When reopened ten days later, Then it is back at level 2 with fresh deadlines', () => {
      const escalation = given(resolvedAtTop);
      const REOPENED = '2026-12-20T12:00:00.000Z'; // a Sunday

      escalation.reopen('pd1:f-1:reason', at(REOPENED));

      expect(escalation.getUncommittedEvents()).toEqual([
        {
          type: 'escalation.Reopened',
          data: {
            escalationId: ID,
            reason: 'pd1:f-1:reason',
            level: 2,
            // 21, 22 -> end of Tue 22 Dec; 21..24, 28..31, (1 Jan) 4, 5 -> end of Tue 5 Jan.
            deadlines: {
              respondBy: '2026-12-23T00:00:00.000Z',
              resolveBy: '2027-01-06T00:00:00.000Z',
            },
            reopenedAt: REOPENED,
          },
        },
      ]);
      const e = stateOf(escalation);
      expect(e).toMatchObject({
        status: 'open',
        level: 2,
        holder: bram,
        respondedAt: REOPENED,
        missed: [],
        closedAt: null,
        closingText: null,
        reopened: 1,
      });
      expect(e.periods).toEqual([
        { level: 0, enteredAt: T0, leftAt: T1 },
        { level: 1, enteredAt: T1, leftAt: T2 },
        { level: 2, enteredAt: T2, leftAt: CLOSED },
        { level: 2, enteredAt: REOPENED, leftAt: null },
      ]);
    });

    it('Given a withdrawn escalation at level 1, When reopened, Then it is back at level 1', () => {
      const escalation = given([...atLevel1Held, withdrawnAt(T2)]);

      escalation.reopen('pd1:f-1:reason', at('2026-12-01T10:00:00Z'));

      const e = stateOf(escalation);
      expect(e.level).toBe(1);
      expect(e.status).toBe('open');
      // From Tuesday 1 December: 2, 3, 4 -> end of Fri 4 Dec; 20 (not 25/26 Dec) -> Wed 30 Dec.
      expect(e.deadlines).toEqual({
        respondBy: '2026-12-05T00:00:00.000Z',
        resolveBy: '2026-12-31T00:00:00.000Z',
      });
    });

    it('Given a reopened escalation whose level-2 miss was recorded, When the fresh resolveBy passes, Then it is recorded again', () => {
      const escalation = given([
        ...atLevel2Held,
        {
          type: 'escalation.DeadlineMissed',
          data: {
            escalationId: ID,
            level: 2,
            deadline: 'resolveBy',
            dueAt: L2.resolveBy,
            holderId: 'prof-bram',
          },
        },
        withdrawnAt('2026-12-16T10:00:00.000Z'),
      ]);
      escalation.reopen('pd1:f-1:reason', at('2026-12-17T10:00:00Z'));
      const fresh = stateOf(escalation).deadlines.resolveBy;

      expect(escalation.deadlinePassed('resolveBy', L2.resolveBy, null, at(fresh))).toBe(false);
      expect(escalation.deadlinePassed('resolveBy', fresh, null, at(fresh))).toBe(true);
      expect(stateOf(escalation).missed).toEqual(['2:resolveBy']);
    });

    it('Given an escalation closed 30 days ago to the millisecond, When reopened, Then it is accepted', () => {
      const escalation = given(resolvedAtTop);

      escalation.reopen('pd1:f-1:reason', at('2027-01-09T12:00:00.000Z'));

      expect(stateOf(escalation).status).toBe('open');
    });

    it('Given an escalation closed 30 days and a millisecond ago, When reopened, Then the rule names the escalation', () => {
      const escalation = given(resolvedAtTop);

      expectViolation(
        () => escalation.reopen('pd1:f-1:reason', at('2027-01-09T12:00:00.001Z')),
        'escalationId',
      );
      expect(escalation.getUncommittedEvents()).toEqual([]);
    });

    it('Given an escalation closed 31 days ago, When reopened, Then the rule names the escalation', () => {
      const escalation = given(resolvedAtTop);

      expectViolation(
        () => escalation.reopen('pd1:f-1:reason', at('2027-01-10T12:00:00.000Z')),
        'escalationId',
      );
      expect(almere.escalation.reopenWithinDays).toBe(30);
    });

    it('Given an escalation reopened once and closed again, When reopened again, Then the rule names the escalation', () => {
      const escalation = given(resolvedAtTop);
      escalation.reopen('pd1:f-1:reason', at('2026-12-20T12:00:00Z'));
      escalation.resolve('pd1:f-1:outcome', at('2026-12-21T12:00:00Z'));

      expectViolation(
        () => escalation.reopen('pd1:f-1:reason', at('2026-12-22T12:00:00Z')),
        'escalationId',
      );
      expect(escalation.getUncommittedEvents().map((e) => e.type)).toEqual([
        'escalation.Reopened',
        'escalation.Resolved',
      ]);
      expect(stateOf(escalation).reopened).toBe(1);
    });
  });

  describe('properties', () => {
    const CASE_TEAM = new Set(['prof-sanne', 'prof-joyce']);
    const professionals = [sanne, joyce, pieter, rosa, bram];
    const independents = [pieter, rosa, bram];
    const START = Date.parse(T0);

    const advance = fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 6, arbitrary: fc.integer({ min: 0, max: DAY_MS }) },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 12 * DAY_MS }) },
      { weight: 1, arbitrary: fc.integer({ min: 25 * DAY_MS, max: 35 * DAY_MS }) },
    );
    const nextHolder = fc.option(fc.nat(independents.length - 1), { nil: null });

    // Mostly independent: a refused appointment teaches less than one that goes through.
    const flag = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true));
    const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
    const command = fc.oneof(
      weighted(2, fc.record({ op: fc.constant('acknowledge' as const), advance })),
      weighted(3, fc.record({ op: fc.constant('escalate' as const), advance, holder: nextHolder })),
      weighted(
        5,
        fc.record({
          op: fc.constant('appoint' as const),
          advance,
          who: fc.nat(professionals.length - 1),
          // Random independence, but never claiming a case-team member is independent.
          onCaseTeam: flag,
          holdsAction: flag,
        }),
      ),
      weighted(
        6,
        fc.record({
          op: fc.constant('deadlinePassed' as const),
          advance,
          which: fc.constantFrom('respondBy' as const, 'resolveBy' as const),
          stale: fc.option(fc.nat(), { nil: null }),
          catchUp: fc.boolean(),
          holder: nextHolder,
        }),
      ),
      weighted(
        5,
        fc.record({
          op: fc.constant('decide' as const),
          advance,
          byHolder: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
          justificationLength: fc.integer({ min: 60, max: 200 }),
          dueInDays: fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 2 }),
        }),
      ),
      weighted(
        2,
        fc.record({
          op: fc.constant('completeDirective' as const),
          advance,
          directive: fc.nat(2),
        }),
      ),
      weighted(
        2,
        fc.record({ op: fc.constant('directiveDue' as const), advance, directive: fc.nat(2) }),
      ),
      weighted(1, fc.record({ op: fc.constant('resolve' as const), advance })),
      weighted(1, fc.record({ op: fc.constant('withdraw' as const), advance })),
      weighted(2, fc.record({ op: fc.constant('reopen' as const), advance })),
    );

    const domainError = (error: unknown) =>
      error instanceof DomainRuleViolation ||
      error instanceof DomainConflict ||
      error instanceof DomainNotFound;

    it('Given any sequence of commands and timers, Then the ladder invariants hold and the events replay to the live state', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...SIGNAL_CATEGORIES),
          fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }),
          (category, commands) => {
            const escalation = given([]);
            let now = START;
            escalation.raise({ ...signal, category }, { now: new Date(now), ladder });
            const seenDueAts: string[] = [];
            const appointedIds: string[] = [];

            for (const cmd of commands) {
              now += cmd.advance;
              const before = stateOf(escalation);
              for (const d of [before.deadlines.respondBy, before.deadlines.resolveBy]) {
                if (!seenDueAts.includes(d)) seenDueAts.push(d);
              }
              const eventsBefore = escalation.getUncommittedEvents().length;
              let acted: boolean | undefined;
              try {
                const ctx = (): EscalationContext => ({ now: new Date(now), ladder });
                switch (cmd.op) {
                  case 'acknowledge':
                    escalation.acknowledge(ctx());
                    break;
                  case 'escalate':
                    escalation.escalate(
                      'pd1:f-1:xxx',
                      cmd.holder === null ? null : independents[cmd.holder],
                      false,
                      ctx(),
                    );
                    break;
                  case 'appoint': {
                    const holder = professionals[cmd.who];
                    escalation.appoint(
                      holder,
                      {
                        onCaseTeam: CASE_TEAM.has(holder.professionalId) || cmd.onCaseTeam,
                        holdsAction: cmd.holdsAction,
                      },
                      ctx(),
                    );
                    appointedIds.push(holder.professionalId);
                    break;
                  }
                  case 'deadlinePassed': {
                    const dueAt =
                      cmd.stale === null
                        ? before.deadlines[cmd.which]
                        : seenDueAts[cmd.stale % seenDueAts.length];
                    if (cmd.catchUp) now = Math.max(now, Date.parse(dueAt));
                    acted = escalation.deadlinePassed(
                      cmd.which,
                      dueAt,
                      cmd.holder === null ? null : independents[cmd.holder],
                      ctx(),
                    );
                    break;
                  }
                  case 'decide': {
                    const today = new Date(now).toISOString().slice(0, 10);
                    escalation.decide(
                      {
                        ...decision,
                        justification: 'j'.repeat(cmd.justificationLength),
                        directives: cmd.dueInDays.map((days, i) => ({
                          directiveId: `d-${i}`,
                          organisation: 'SLT Haven',
                          description: 'pd1:f-1:xxx',
                          dueDate: new Date(Date.parse(today) + days * DAY_MS)
                            .toISOString()
                            .slice(0, 10),
                        })),
                      },
                      cmd.byHolder
                        ? (before.holder?.professionalId ?? 'prof-nobody')
                        : 'prof-joyce',
                      ctx(),
                    );
                    break;
                  }
                  case 'completeDirective':
                    escalation.completeDirective(`d-${cmd.directive}`, ctx());
                    break;
                  case 'directiveDue':
                    acted = escalation.directiveDue(`d-${cmd.directive}`);
                    break;
                  case 'resolve':
                    escalation.resolve('pd1:f-1:xxx', ctx());
                    break;
                  case 'withdraw':
                    escalation.withdraw('pd1:f-1:xxx', ctx());
                    break;
                  case 'reopen':
                    escalation.reopen('pd1:f-1:xxx', ctx());
                    break;
                }
              } catch (error) {
                if (!domainError(error)) throw error;
                // A refused command changes nothing.
                expect(escalation.getUncommittedEvents()).toHaveLength(eventsBefore);
                expect(stateOf(escalation)).toBe(before);
              }

              const events = escalation.getUncommittedEvents();
              const produced = events.slice(eventsBefore);
              if (acted !== undefined) expect(produced.length > 0).toBe(acted);

              const e = stateOf(escalation);
              // The level stays within the ladder and never goes down.
              expect([0, 1, 2]).toContain(e.level);
              expect(e.level).toBeGreaterThanOrEqual(before.level);
              if (before.status !== 'open') expect(e.level).toBe(before.level);
              if (produced.some((p) => p.type === 'escalation.Reopened')) {
                expect(before.status).not.toBe('open');
                expect(e.level).toBe(before.level);
                expect(e.deadlines).toEqual(
                  ladder.deadlines(e.level, e.category === 'safety', new Date(now)),
                );
              }
              for (const p of produced) {
                if (p.type === 'escalation.Escalated') {
                  expect(p.data.toLevel).toBe(p.data.fromLevel + 1);
                  expect(p.data.deadlines).toEqual(
                    ladder.deadlines(p.data.toLevel, e.category === 'safety', new Date(now)),
                  );
                }
              }

              // Status and periods.
              expect(['open', 'resolved', 'withdrawn']).toContain(e.status);
              const openPeriods = e.periods.filter((p) => p.leftAt === null);
              if (e.status === 'open') {
                expect(openPeriods).toHaveLength(1);
                expect(openPeriods[0].level).toBe(e.level);
                expect(e.closedAt).toBeNull();
              } else {
                expect(openPeriods).toHaveLength(0);
                expect(e.closedAt).not.toBeNull();
              }
              expect(e.periods.at(-1)?.level).toBe(e.level);
              expect(e.reopened).toBeLessThanOrEqual(1);

              // Independence: above level 0 the holder was never on the case team.
              if (e.level >= 1 && e.holder) {
                expect(CASE_TEAM.has(e.holder.professionalId)).toBe(false);
              }
              for (const id of appointedIds) expect(CASE_TEAM.has(id)).toBe(false);
              if (e.holder) expect(e.involved).toContain(e.holder.professionalId);
              expect(new Set(e.involved).size).toBe(e.involved.length);

              // At most one decision, and it never changes once taken.
              expect(
                events.filter((p) => p.type === 'escalation.DecisionTaken').length,
              ).toBeLessThanOrEqual(1);
              if (before.decision) {
                expect(e.decision?.decidedAt).toBe(before.decision.decidedAt);
              }
              if (e.decision) expect(e.level).toBe(2);
              expect(new Set(e.missed).size).toBe(e.missed.length);

              // The pure fold over everything produced is the live state.
              expect(events.reduce(evolveEscalation, INITIAL_ESCALATION_STATE)).toEqual(
                escalation.currentState,
              );
            }
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});

function resolvedAt(iso: string): EscalationEvent {
  return {
    type: 'escalation.Resolved',
    data: { escalationId: ID, outcome: 'pd1:f-1:outcome', resolvedAt: iso },
  };
}

function withdrawnAt(iso: string): EscalationEvent {
  return {
    type: 'escalation.Withdrawn',
    data: { escalationId: ID, reason: 'pd1:f-1:reason', withdrawnAt: iso },
  };
}
