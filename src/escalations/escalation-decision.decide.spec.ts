import { describe, expect, it } from '@jest/globals';
import { DomainConflict, DomainNotFound } from '#libs/aggregates/domain-errors.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import {
  escalationDecider,
  MIN_JUSTIFICATION_LENGTH,
  type NewDecision,
} from './escalation.decide.js';
import type { EscalationEvent } from './escalation.events.js';
import {
  at,
  atLevel1Held,
  atLevel2,
  atLevel2Held,
  decided,
  decision,
  directives,
  foldOf,
  ID,
  resolvedAt,
  T2,
  T_DECIDED,
  violatedField,
  withDecision,
} from './escalation.fixtures.js';

const spec = deciderSpec(escalationDecider);
const decide = (deciderId: string, d: NewDecision = decision) => ({
  type: 'Decide' as const,
  decision: d,
  deciderId,
});
const complete = (directiveId: string) => ({ type: 'CompleteDirective' as const, directiveId });
/** A directive's deadline timer firing; it reads no moment. */
const due = (directiveId: string) => ({ type: 'DirectiveDue' as const, directiveId });

const completedAt = (directiveId: string, iso: string): EscalationEvent => ({
  type: 'escalation.DirectiveCompleted',
  data: { escalationId: ID, directiveId, completedAt: iso },
});
const overdue: EscalationEvent = {
  type: 'escalation.DirectiveOverdue',
  data: {
    escalationId: ID,
    directiveId: 'd-1',
    organisation: 'SLT Haven',
    dueDate: '2026-12-21',
    holderId: 'prof-bram',
  },
};

describe('Escalation: the brandpunt decision and its directives', () => {
  describe('decide', () => {
    it('Given level 2 with a brandpuntfunctionaris, When they decide, Then the decision and its directives are recorded', () => {
      spec.given(atLevel2Held).when(decide('prof-bram'), at(T_DECIDED)).then([decided]);
      const e = foldOf(withDecision);
      expect(e.decision).toEqual({
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
      expect(e.status).toBe('open');
    });

    it('Given level 1, When the procesregisseur decides, Then the rule names the level', () => {
      expect(violatedField(spec.given(atLevel1Held).when(decide('prof-pieter'), at(T2)))).toBe(
        'level',
      );
    });

    it('Given level 2, When someone other than the brandpuntfunctionaris decides, Then the rule names the brandpuntfunctionaris', () => {
      expect(
        violatedField(spec.given(atLevel2Held).when(decide('prof-pieter'), at(T_DECIDED))),
      ).toBe('brandpuntfunctionaris');
    });

    it('Given level 2 without a brandpuntfunctionaris, When anyone decides, Then the rule names the brandpuntfunctionaris', () => {
      expect(violatedField(spec.given(atLevel2).when(decide('prof-bram'), at(T_DECIDED)))).toBe(
        'brandpuntfunctionaris',
      );
    });

    it('Given level 2, When the justification is one character too short, Then the rule names the justification', () => {
      const short = { ...decision, justification: 'j'.repeat(MIN_JUSTIFICATION_LENGTH - 1) };

      expect(
        violatedField(spec.given(atLevel2Held).when(decide('prof-bram', short), at(T_DECIDED))),
      ).toBe('justification');
      expect(MIN_JUSTIFICATION_LENGTH).toBe(80);
    });

    it('Given level 2, When a directive is due in the past, Then the rule names that directive', () => {
      const past = { ...directives[0], dueDate: '2026-12-06' };

      expect(
        violatedField(
          spec
            .given(atLevel2Held)
            .when(decide('prof-bram', { ...decision, directives: [past] }), at(T_DECIDED)),
        ),
      ).toBe('directives[0].dueDate');
      expect(
        violatedField(
          spec
            .given(atLevel2Held)
            .when(
              decide('prof-bram', { ...decision, directives: [directives[1], past] }),
              at(T_DECIDED),
            ),
        ),
      ).toBe('directives[1].dueDate');
    });

    it('Given level 2, When a directive is due today, Then it is accepted', () => {
      const today = { ...directives[0], dueDate: '2026-12-07' };

      const events = spec
        .given(atLevel2Held)
        .when(decide('prof-bram', { ...decision, directives: [today] }), at(T_DECIDED))
        .events();

      expect(
        foldOf([...atLevel2Held, ...events]).decision?.directives.map((d) => d.dueDate),
      ).toEqual(['2026-12-07']);
    });

    it('Given a decision, When the brandpuntfunctionaris decides again, Then it is a conflict', () => {
      spec
        .given(withDecision)
        .when(decide('prof-bram'), at('2026-12-08T10:00:00Z'))
        .thenFails(DomainConflict, /already has a decision/);
    });
  });

  describe('directives', () => {
    it('Given a decision, When an unknown directive is completed, Then it is not found', () => {
      spec.given(withDecision).when(complete('d-9'), at(T_DECIDED)).thenFails(DomainNotFound);
    });

    it('Given no decision, When a directive is completed, Then it is not found', () => {
      spec.given(atLevel2Held).when(complete('d-1'), at(T_DECIDED)).thenFails(DomainNotFound);
    });

    it('Given an open directive, When it is completed, Then it is done; a second time is a conflict', () => {
      const completed = completedAt('d-1', '2026-12-14T10:00:00.000Z');

      spec.given(withDecision).when(complete('d-1'), at('2026-12-14T10:00:00Z')).then([completed]);
      expect(foldOf([...withDecision, completed]).decision?.directives).toEqual([
        {
          ...directives[0],
          status: 'done',
          completedAt: '2026-12-14T10:00:00.000Z',
          overdue: false,
        },
        { ...directives[1], status: 'open', completedAt: null, overdue: false },
      ]);
      spec
        .given([...withDecision, completed])
        .when(complete('d-1'), at('2026-12-15T10:00:00Z'))
        .thenFails(DomainConflict, /already done/);
    });

    it('Given an open directive, When its deadline timer fires, Then the brandpuntfunctionaris is alerted once', () => {
      spec.given(withDecision).when(due('d-1'), at(T_DECIDED)).then([overdue]);
      spec
        .given([...withDecision, overdue])
        .when(due('d-1'), at(T_DECIDED))
        .then([]);

      expect(foldOf([...withDecision, overdue]).decision?.directives.map((d) => d.overdue)).toEqual(
        [true, false],
      );
    });

    it('Given an overdue directive, When it is completed, Then it is done and stays marked overdue', () => {
      const events = spec
        .given([...withDecision, overdue])
        .when(complete('d-1'), at('2026-12-23T10:00:00Z'))
        .events();

      expect(foldOf([...withDecision, overdue, ...events]).decision?.directives[0]).toMatchObject({
        status: 'done',
        overdue: true,
      });
    });

    it('Given a completed directive, When its deadline timer fires, Then nothing happens', () => {
      const completed = completedAt('d-1', '2026-12-14T10:00:00.000Z');

      spec.given(withDecision).when(complete('d-1'), at('2026-12-14T10:00:00Z')).then([completed]);
      spec
        .given([...withDecision, completed])
        .when(due('d-1'), at(T_DECIDED))
        .then([]);
    });

    it('Given no such directive or no decision, When a directive timer fires, Then nothing happens', () => {
      spec.given(withDecision).when(due('d-9'), at(T_DECIDED)).then([]);
      spec.given(atLevel2Held).when(due('d-1'), at(T_DECIDED)).then([]);
      spec.given([]).when(due('d-1'), at(T_DECIDED)).then([]);
    });

    it('Given a resolved escalation with an open directive, When its timer fires, Then nothing happens', () => {
      const resolved = [...withDecision, resolvedAt('2026-12-10T12:00:00.000Z')];

      spec.given(resolved).when(due('d-1'), at(T_DECIDED)).then([]);
      spec
        .given(resolved)
        .when(complete('d-1'), at('2026-12-11T10:00:00Z'))
        .thenFails(DomainConflict, /resolved/);
    });
  });
});
