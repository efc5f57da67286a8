import { describe, expect, it } from '@jest/globals';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import type { Independence } from '../plans/independence.js';
import { escalationDecider } from './escalation.decide.js';
import {
  appointed,
  at,
  atLevel1,
  atLevel1Held,
  atLevel2,
  atLevel2Held,
  bram,
  escalated,
  foldOf,
  ID,
  independent,
  joyce,
  ladder,
  L2,
  pieter,
  raised,
  resolvedAt,
  rosa,
  T0,
  T1,
  T1_APPOINTED,
  T2,
  T2_APPOINTED,
  T_DECIDED,
  violatedField,
} from './escalation.fixtures.js';
import type { Holder } from './escalation.model.js';

const spec = deciderSpec(escalationDecider);
const escalate = (holder: Holder | null = null) => ({
  type: 'Escalate' as const,
  reason: 'pd1:f-1:reason',
  holder,
  automatic: false,
});
const appoint = (holder: Holder, independence: Independence = independent) => ({
  type: 'Appoint' as const,
  holder,
  independence,
});

describe('Escalation: up the ladder and who holds each step', () => {
  describe('escalate', () => {
    it('Given a signal at level 0, When escalated by hand, Then level 1 starts with appoint 3 and resolve 20 working days from now', () => {
      const events = spec.given([raised]).when(escalate(), at(T1)).events();

      expect(events).toEqual([
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
      const e = foldOf([raised, ...events]);
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
      spec
        .given(atLevel1Held)
        .when(escalate(), at(T2))
        .then([escalated(1, 2, T2, L2)]);
      expect(L2).toEqual({
        respondBy: '2026-12-03T00:00:00.000Z',
        resolveBy: '2026-12-15T00:00:00.000Z',
      });
      const e = foldOf([...atLevel1Held, escalated(1, 2, T2, L2)]);
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
      expect(violatedField(spec.given(atLevel2Held).when(escalate(), at(T_DECIDED)))).toBe('level');
    });

    it('Given level 0, When escalated with a standing procesregisseur, Then they hold level 1 at once', () => {
      const events = spec.given([raised]).when(escalate(pieter), at(T1)).events();

      const e = foldOf([raised, ...events]);
      expect(e.holder).toEqual(pieter);
      expect(e.respondedAt).toBe(T1);
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter']);
    });

    it('Given a safety signal at level 0, When escalated at once, Then level 1 runs on the normal level-1 deadlines', () => {
      const safety = {
        ...raised,
        data: {
          ...raised.data,
          category: 'safety' as const,
          deadlines: ladder.deadlines(0, true, new Date(T0)),
        },
      };
      const events = spec.given([safety]).when(escalate(), at(T0)).events();

      // From Monday 23 November: 24, 25, 26 -> end of Thursday; 20 working days -> Mon 21 Dec.
      expect(foldOf([safety, ...events]).deadlines).toEqual({
        respondBy: '2026-11-27T00:00:00.000Z',
        resolveBy: '2026-12-22T00:00:00.000Z',
      });
    });

    it('Given a resolved escalation, When escalated, Then it is a conflict', () => {
      spec
        .given([raised, resolvedAt('2026-11-25T10:00:00.000Z')])
        .when(escalate(), at(T2))
        .thenFails(DomainConflict, /resolved/);
    });
  });

  describe('appoint', () => {
    it('Given level 0, When someone is appointed, Then the rule names the level', () => {
      expect(violatedField(spec.given([raised]).when(appoint(pieter), at(T1)))).toBe('level');
    });

    it('Given level 1, When a case-team member is appointed, Then the rule names the professional', () => {
      expect(
        violatedField(
          spec
            .given(atLevel1)
            .when(appoint(joyce, { onCaseTeam: true, holdsAction: false }), at(T1)),
        ),
      ).toBe('professionalId');
    });

    it('Given level 2, When someone holding an action in the plan is appointed, Then the rule names the professional', () => {
      expect(
        violatedField(
          spec
            .given(atLevel2)
            .when(appoint(bram, { onCaseTeam: false, holdsAction: true }), at(T2)),
        ),
      ).toBe('professionalId');
    });

    it('Given level 1 without a holder, When an independent procesregisseur is appointed, Then they hold the level', () => {
      spec
        .given(atLevel1)
        .when(appoint(pieter), at(T1_APPOINTED))
        .then([
          {
            type: 'escalation.HolderAppointed',
            data: { escalationId: ID, level: 1, holder: pieter, appointedAt: T1_APPOINTED },
          },
        ]);
      const e = foldOf([...atLevel1, appointed(1, pieter, T1_APPOINTED)]);
      expect(e.holder).toEqual(pieter);
      expect(e.respondedAt).toBe(T1_APPOINTED);
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter']);
    });

    it('Given an appointed procesregisseur, When the same professional is appointed again, Then it is a conflict', () => {
      spec
        .given(atLevel1Held)
        .when(appoint(pieter), at(T2))
        .thenFails(DomainConflict, /already the procesregisseur/);
    });

    it('Given an appointed procesregisseur, When another is appointed, Then they replace the first and both stay involved', () => {
      const events = spec
        .given(atLevel1Held)
        .when(appoint(rosa), at('2026-11-26T09:00:00Z'))
        .events();

      const e = foldOf([...atLevel1Held, ...events]);
      expect(e.holder).toEqual(rosa);
      expect(e.respondedAt).toBe('2026-11-26T09:00:00.000Z');
      expect(e.involved).toEqual(['prof-sanne', 'prof-pieter', 'prof-rosa']);
    });

    it('Given level 2, When the brandpuntfunctionaris is appointed, Then everyone who ever held a level is involved', () => {
      spec
        .given(atLevel2)
        .when(appoint(bram), at(T2_APPOINTED))
        .then([appointed(2, bram, T2_APPOINTED)]);
      expect(foldOf(atLevel2Held).involved).toEqual(['prof-sanne', 'prof-pieter', 'prof-bram']);
    });

    it('Given level 2 held by the former procesregisseur, When they are appointed again, Then it is a conflict', () => {
      spec
        .given([...atLevel1, escalated(1, 2, T2, L2, pieter)])
        .when(appoint(pieter), at(T2))
        .thenFails(DomainConflict, /already the brandpuntfunctionaris/);
    });
  });
});
