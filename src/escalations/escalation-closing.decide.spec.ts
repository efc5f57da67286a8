import { describe, expect, it } from '@jest/globals';
import { DomainConflict, DomainNotFound } from '#libs/aggregates/domain-errors.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { escalationDecider } from './escalation.decide.js';
import type { EscalationEvent } from './escalation.events.js';
import {
  acknowledged,
  almere,
  at,
  atLevel1,
  atLevel1Held,
  atLevel2Held,
  bram,
  foldOf,
  ID,
  L2,
  raised,
  resolvedAt,
  sanne,
  stored,
  T0,
  T1,
  T2,
  violatedField,
  withDecision,
  withdrawnAt,
} from './escalation.fixtures.js';

const spec = deciderSpec(escalationDecider);
const resolve = { type: 'Resolve', outcome: 'pd1:f-1:outcome' } as const;
const withdraw = { type: 'Withdraw', reason: 'pd1:f-1:reason' } as const;
const reopen = { type: 'Reopen', reason: 'pd1:f-1:reason' } as const;

describe('Escalation: closing and reopening', () => {
  describe('resolve and withdraw', () => {
    it('Given an open escalation at level 1, When resolved, Then it is closed with the outcome and no open period', () => {
      const events = spec.given(atLevel1Held).when(resolve, at('2026-12-01T10:00:00Z')).events();

      expect(events).toEqual([
        {
          type: 'escalation.Resolved',
          data: {
            escalationId: ID,
            outcome: 'pd1:f-1:outcome',
            resolvedAt: '2026-12-01T10:00:00.000Z',
          },
        },
      ]);
      const e = foldOf([...atLevel1Held, ...events]);
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
      const events = spec.given([raised]).when(withdraw, at(T1)).events();

      expect(events).toEqual([
        {
          type: 'escalation.Withdrawn',
          data: { escalationId: ID, reason: 'pd1:f-1:reason', withdrawnAt: T1 },
        },
      ]);
      const e = foldOf([raised, ...events]);
      expect(e.status).toBe('withdrawn');
      expect(e.closedAt).toBe(T1);
      expect(e.closingText).toBe('pd1:f-1:reason');
      expect(e.periods).toEqual([{ level: 0, enteredAt: T0, leftAt: T1 }]);
    });

    it('Given a closed escalation, When resolved or withdrawn again, Then it is a conflict', () => {
      const resolved = [raised, resolvedAt('2026-11-24T12:00:00.000Z')];
      const withdrawn = [raised, withdrawnAt('2026-11-24T12:00:00.000Z')];

      spec
        .given(resolved)
        .when(resolve, at(T2))
        .thenFails(DomainConflict, /resolved/);
      spec
        .given(resolved)
        .when(withdraw, at(T2))
        .thenFails(DomainConflict, /resolved/);
      spec
        .given(withdrawn)
        .when(resolve, at(T2))
        .thenFails(DomainConflict, /withdrawn/);
      spec
        .given(withdrawn)
        .when(withdraw, at(T2))
        .thenFails(DomainConflict, /withdrawn/);
    });

    it('Given no escalation, When resolved, Then it is not found', () => {
      spec.given([]).when(resolve, at(T0)).thenFails(DomainNotFound);
      spec.given([]).when(withdraw, at(T0)).thenFails(DomainNotFound);
    });
  });

  describe('reopen', () => {
    const CLOSED = '2026-12-10T12:00:00.000Z';
    const resolvedAtTop = [...withDecision, resolvedAt(CLOSED)];

    it('Given an open escalation, When reopened, Then it is a conflict', () => {
      spec
        .given(atLevel1)
        .when(reopen, at(T2))
        .thenFails(DomainConflict, /still open/);
    });

    it('Given no escalation, When reopened, Then it is not found', () => {
      spec.given([]).when(reopen, at(T2)).thenFails(DomainNotFound);
    });

    it('Given a signal withdrawn at level 0, When reopened, Then the casusregisseur must acknowledge it again', () => {
      const history = [
        raised,
        acknowledged('2026-11-23T12:00:00.000Z'),
        withdrawnAt('2026-11-24T12:00:00.000Z'),
      ];

      const reopened = spec.given(history).when(reopen, at('2026-11-25T12:00:00.000Z')).events();

      expect(reopened.map((e) => e.type)).toEqual(['escalation.Reopened']);
      expect(foldOf([...history, ...reopened])).toMatchObject({
        level: 0,
        holder: sanne,
        respondedAt: null,
      });
      spec
        .given([...history, ...stored(reopened)])
        .when({ type: 'Acknowledge' }, at('2026-11-25T13:00:00.000Z'))
        .then([acknowledged('2026-11-25T13:00:00.000Z')]);
    });

    it('Given an escalation resolved at level 2, When reopened ten days later, Then it is back at level 2 with fresh deadlines', () => {
      const REOPENED = '2026-12-20T12:00:00.000Z'; // a Sunday

      const events = spec.given(resolvedAtTop).when(reopen, at(REOPENED)).events();

      expect(events).toEqual([
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
      const e = foldOf([...resolvedAtTop, ...events]);
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
      const history = [...atLevel1Held, withdrawnAt(T2)];

      const events = spec.given(history).when(reopen, at('2026-12-01T10:00:00Z')).events();

      const e = foldOf([...history, ...events]);
      expect(e.level).toBe(1);
      expect(e.status).toBe('open');
      // From Tuesday 1 December: 2, 3, 4 -> end of Fri 4 Dec; 20 (not 25/26 Dec) -> Wed 30 Dec.
      expect(e.deadlines).toEqual({
        respondBy: '2026-12-05T00:00:00.000Z',
        resolveBy: '2026-12-31T00:00:00.000Z',
      });
    });

    it('Given a reopened escalation whose level-2 miss was recorded, When the fresh resolveBy passes, Then it is recorded again', () => {
      const missed: EscalationEvent = {
        type: 'escalation.DeadlineMissed',
        data: {
          escalationId: ID,
          level: 2,
          deadline: 'resolveBy',
          dueAt: L2.resolveBy,
          holderId: 'prof-bram',
        },
      };
      const closed = [...atLevel2Held, missed, withdrawnAt('2026-12-16T10:00:00.000Z')];
      const history = [
        ...closed,
        ...stored(spec.given(closed).when(reopen, at('2026-12-17T10:00:00Z')).events()),
      ];
      const fresh = foldOf(history).deadlines.resolveBy;
      const pass = (dueAt: string) => ({
        type: 'PassDeadline' as const,
        which: 'resolveBy' as const,
        dueAt,
        nextHolder: null,
      });

      spec.given(history).when(pass(L2.resolveBy), at(fresh)).then([]);
      const again = spec.given(history).when(pass(fresh), at(fresh)).events();
      expect(again.length > 0).toBe(true);
      expect(foldOf([...history, ...again]).missed).toEqual(['2:resolveBy']);
    });

    it('Given an escalation closed 30 days ago to the millisecond, When reopened, Then it is accepted', () => {
      const events = spec
        .given(resolvedAtTop)
        .when(reopen, at('2027-01-09T12:00:00.000Z'))
        .events();

      expect(foldOf([...resolvedAtTop, ...events]).status).toBe('open');
    });

    it('Given an escalation closed 30 days and a millisecond ago, When reopened, Then the rule names the escalation', () => {
      expect(
        violatedField(spec.given(resolvedAtTop).when(reopen, at('2027-01-09T12:00:00.001Z'))),
      ).toBe('escalationId');
    });

    it('Given an escalation closed 31 days ago, When reopened, Then the rule names the escalation', () => {
      expect(
        violatedField(spec.given(resolvedAtTop).when(reopen, at('2027-01-10T12:00:00.000Z'))),
      ).toBe('escalationId');
      expect(almere.escalation.reopenWithinDays).toBe(30);
    });

    it('Given an escalation reopened once and closed again, When reopened again, Then the rule names the escalation', () => {
      const reopened = spec.given(resolvedAtTop).when(reopen, at('2026-12-20T12:00:00Z')).events();
      const afterReopen = [...resolvedAtTop, ...stored(reopened)];
      const resolvedAgain = spec
        .given(afterReopen)
        .when(resolve, at('2026-12-21T12:00:00Z'))
        .events();
      const history = [...afterReopen, ...stored(resolvedAgain)];

      expect(violatedField(spec.given(history).when(reopen, at('2026-12-22T12:00:00Z')))).toBe(
        'escalationId',
      );
      expect([...reopened, ...resolvedAgain].map((e) => e.type)).toEqual([
        'escalation.Reopened',
        'escalation.Resolved',
      ]);
      expect(foldOf(history).reopened).toBe(1);
    });
  });
});
