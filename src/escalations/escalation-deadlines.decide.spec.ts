import { describe, expect, it } from '@jest/globals';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { escalationDecider } from './escalation.decide.js';
import type { EscalationEvent } from './escalation.events.js';
import {
  acknowledged,
  at,
  atLevel1,
  atLevel1Held,
  atLevel2,
  atLevel2Held,
  bram,
  foldOf,
  ID,
  L0,
  L1,
  L2,
  pieter,
  raised,
  resolvedAt,
  T1,
  withDecision,
  withdrawnAt,
} from './escalation.fixtures.js';
import type { Deadlines, Holder } from './escalation.model.js';

const spec = deciderSpec(escalationDecider);
/** A deadline timer firing: it names the deadline it was set for, and who holds the next level. */
const pass = (which: keyof Deadlines, dueAt: string, nextHolder: Holder | null = null) => ({
  type: 'PassDeadline' as const,
  which,
  dueAt,
  nextHolder,
});

describe('Escalation: deadlines that pass', () => {
  it('Given an unacknowledged signal, When its respondBy passes, Then it escalates to level 1 automatically from that moment', () => {
    const events = spec
      .given([raised])
      .when(pass('respondBy', L0.respondBy, pieter), at(L0.respondBy))
      .events();

    expect(events).toEqual([
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
    expect(foldOf([raised, ...events]).respondedAt).toBe(L0.respondBy);
  });

  it('Given an unacknowledged signal, When the timer fires a millisecond early, Then nothing happens', () => {
    spec
      .given([raised])
      .when(pass('respondBy', L0.respondBy), at('2026-11-25T23:59:59.999Z'))
      .then([]);
  });

  it('Given a timer with a dueAt that is not the current deadline, When it fires, Then nothing happens', () => {
    spec
      .given([raised])
      .when(pass('respondBy', '2026-11-27T00:00:00.000Z'), at('2026-11-28T00:00:00Z'))
      .then([]);
    spec.given([raised]).when(pass('resolveBy', L0.respondBy), at(L0.resolveBy)).then([]);
  });

  it('Given level 1, When the stale level-0 timers fire, Then nothing happens', () => {
    spec.given(atLevel1).when(pass('respondBy', L0.respondBy), at(L0.resolveBy)).then([]);
    spec.given(atLevel1).when(pass('resolveBy', L0.resolveBy), at(L0.resolveBy)).then([]);
    expect(foldOf(atLevel1).level).toBe(1);
  });

  it('Given an acknowledged signal, When its respondBy passes, Then nothing happens', () => {
    spec
      .given([raised])
      .when({ type: 'Acknowledge' }, at(T1))
      .then([acknowledged(T1)]);
    spec
      .given([raised, acknowledged(T1)])
      .when(pass('respondBy', L0.respondBy), at(L0.respondBy))
      .then([]);
  });

  it('Given an acknowledged but unresolved signal, When its resolveBy passes, Then it escalates automatically', () => {
    spec
      .given([raised, acknowledged(T1)])
      .when(pass('resolveBy', L0.resolveBy), at(L0.resolveBy))
      .then([
        {
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
        },
      ]);
  });

  it('Given level 1 without a procesregisseur, When its respondBy passes late, Then it escalates to level 2 with the next holder', () => {
    const events = spec
      .given(atLevel1)
      .when(pass('respondBy', L1.respondBy, bram), at(L1.respondBy))
      .events();

    expect(events).toEqual([
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
    expect(foldOf([...atLevel1, ...events]).holder).toEqual(bram);
  });

  it('Given level 1 with a procesregisseur, When its respondBy passes, Then nothing happens', () => {
    spec.given(atLevel1Held).when(pass('respondBy', L1.respondBy), at(L1.resolveBy)).then([]);
  });

  it('Given level 2 without a decision, When its resolveBy passes, Then the miss is recorded once', () => {
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

    spec
      .given(atLevel2Held)
      .when(pass('resolveBy', L2.resolveBy), at('2026-12-15T06:00:00Z'))
      .then([missed]);
    spec
      .given([...atLevel2Held, missed])
      .when(pass('resolveBy', L2.resolveBy), at('2026-12-16T06:00:00Z'))
      .then([]);

    const e = foldOf([...atLevel2Held, missed]);
    expect(e.missed).toEqual(['2:resolveBy']);
    expect(e.level).toBe(2);
    expect(e.status).toBe('open');
  });

  it('Given level 2 without a brandpuntfunctionaris, When its respondBy passes, Then the miss is recorded without a holder', () => {
    const events = spec
      .given(atLevel2)
      .when(pass('respondBy', L2.respondBy, bram), at(L2.respondBy))
      .events();

    expect(events).toEqual([
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
    expect(foldOf([...atLevel2, ...events]).holder).toBeNull();
  });

  it('Given a decision at level 2, When the resolveBy passes, Then nothing happens', () => {
    spec.given(withDecision).when(pass('resolveBy', L2.resolveBy), at(L2.resolveBy)).then([]);
  });

  it('Given a closed escalation, When its deadlines pass, Then nothing happens', () => {
    const resolved = [raised, resolvedAt('2026-11-24T12:00:00.000Z')];
    const withdrawn = [...atLevel2, withdrawnAt('2026-12-01T12:00:00.000Z')];

    spec.given(resolved).when(pass('respondBy', L0.respondBy), at(L0.resolveBy)).then([]);
    spec.given(resolved).when(pass('resolveBy', L0.resolveBy), at(L0.resolveBy)).then([]);
    spec.given(withdrawn).when(pass('resolveBy', L2.resolveBy), at(L2.resolveBy)).then([]);
  });

  it('Given no escalation, When a timer fires, Then nothing happens', () => {
    spec.given([]).when(pass('respondBy', L0.respondBy), at(L0.resolveBy)).then([]);
  });
});
