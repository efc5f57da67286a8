import { describe, expect, it } from '@jest/globals';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { escalationDecider, type NewSignal } from './escalation.decide.js';
import { evolveEscalation, INITIAL_ESCALATION_STATE } from './escalation.evolve.js';
import {
  acknowledged,
  at,
  atLevel1,
  foldOf,
  ID,
  raised,
  sanne,
  signal,
  T0,
  T1,
  violatedField,
  withdrawnAt,
} from './escalation.fixtures.js';

const spec = deciderSpec(escalationDecider);
const raise = (s: NewSignal = signal) => ({ type: 'Raise' as const, escalationId: ID, signal: s });
const acknowledge = { type: 'Acknowledge' } as const;

describe('Escalation: raising a signal and acknowledging it', () => {
  describe('raise', () => {
    it('Given nothing, When a signal is raised on a Monday, Then it opens at level 0 with acknowledge 2 and resolve 10 working days', () => {
      const events = spec.given([]).when(raise(), at(T0)).events();

      expect(events).toEqual([
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
      expect(events.reduce(evolveEscalation, INITIAL_ESCALATION_STATE)).toEqual({
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
    });

    it('Given nothing, When a safety signal is raised on a Monday, Then both deadlines are the end of Tuesday', () => {
      const events = spec
        .given([])
        .when(raise({ ...signal, category: 'safety' }), at(T0))
        .events();

      expect(foldOf(events).deadlines).toEqual({
        respondBy: '2026-11-25T00:00:00.000Z',
        resolveBy: '2026-11-25T00:00:00.000Z',
      });
    });

    it('Given nothing, When a signal is raised on 23 December, Then Christmas, the weekend and New Year do not count', () => {
      const events = spec.given([]).when(raise(), at('2026-12-23T10:00:00Z')).events();

      // Thu 24 Dec, (25/26 Christmas, 27 Sunday) Mon 28 Dec; then 29..31 Dec, (1 Jan) 4..8 Jan.
      expect(foldOf(events).deadlines).toEqual({
        respondBy: '2026-12-29T00:00:00.000Z',
        resolveBy: '2027-01-09T00:00:00.000Z',
      });
    });

    it('Given nothing, When a safety signal is raised on Christmas Eve, Then its one working day is Monday 28 December', () => {
      const events = spec
        .given([])
        .when(raise({ ...signal, category: 'safety' }), at('2026-12-24T16:00:00Z'))
        .events();

      expect(foldOf(events).deadlines).toEqual({
        respondBy: '2026-12-29T00:00:00.000Z',
        resolveBy: '2026-12-29T00:00:00.000Z',
      });
    });

    it('Given nothing, When an automatic signal is raised while casusregie is vacant, Then nobody holds or is involved', () => {
      const events = spec
        .given([])
        .when(
          raise({
            ...signal,
            category: 'regie_vacant',
            automatic: true,
            cause: 'regie-vacant:f-1',
            raisedBy: 'system',
            holder: null,
          }),
          at(T0),
        )
        .events();

      const e = foldOf(events);
      expect(e.holder).toBeNull();
      expect(e.involved).toEqual([]);
      expect(e.automatic).toBe(true);
      expect(e.cause).toBe('regie-vacant:f-1');
    });

    it('Given a raised signal, When it is raised again, Then it is a conflict', () => {
      spec
        .given([raised])
        .when(raise(), at(T1))
        .thenFails(DomainConflict, /already raised/);
    });
  });

  describe('acknowledge', () => {
    it('Given a signal at level 0, When the casusregisseur acknowledges, Then it is responded to', () => {
      const ack = acknowledged('2026-11-24T08:30:00.000Z');

      spec.given([raised]).when(acknowledge, at('2026-11-24T08:30:00Z')).then([ack]);
      expect(foldOf([raised, ack]).respondedAt).toBe('2026-11-24T08:30:00.000Z');
      expect(foldOf([raised, ack]).level).toBe(0);
    });

    it('Given an acknowledged signal, When it is acknowledged again, Then it is a conflict', () => {
      spec
        .given([raised])
        .when(acknowledge, at(T1))
        .then([acknowledged(T1)]);
      spec
        .given([raised, acknowledged(T1)])
        .when(acknowledge, at(T1))
        .thenFails(DomainConflict, /already acknowledged/);
    });

    it('Given an escalation at level 1, When it is acknowledged, Then the rule names the level', () => {
      expect(violatedField(spec.given(atLevel1).when(acknowledge, at(T1)))).toBe('level');
      spec
        .given(atLevel1)
        .when(acknowledge, at(T1))
        .thenFails(DomainRuleViolation, /level 0/);
    });

    it('Given no escalation, When acknowledged, Then it is not found', () => {
      spec.given([]).when(acknowledge, at(T0)).thenFails(DomainNotFound);
    });

    it('Given a withdrawn signal, When acknowledged, Then it is a conflict', () => {
      spec
        .given([raised, withdrawnAt(T1)])
        .when(acknowledge, at(T1))
        .thenFails(DomainConflict, /withdrawn/);
    });
  });
});
