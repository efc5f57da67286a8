import { describe, expect, it } from '@jest/globals';
import { EscalationType } from './escalation.aggregate.js';
import { escalationDecider } from './escalation.decide.js';
import type { EscalationEvent } from './escalation.events.js';
import { evolveEscalation, INITIAL_ESCALATION_STATE } from './escalation.evolve.js';
import { at, ID, L0, pieter, raised, signal, T0, withDecision } from './escalation.fixtures.js';

/** The in-process wrapper the bench builds histories with; the rules are the decider's specs. */
function given(events: EscalationEvent[]) {
  const escalation = EscalationType.create(ID);
  escalation.loadFromHistory(events);
  return escalation;
}

describe('EscalationAggregate, the bench wrapper over the decider', () => {
  it('applies what the decider decides: its events, the fold of them, and the escalation of that state', () => {
    const escalation = given([]);

    escalation.raise(signal, at(T0));

    const decided = escalationDecider.decide(
      { type: 'Raise', escalationId: ID, signal },
      INITIAL_ESCALATION_STATE,
      at(T0),
    );
    expect(escalation.getUncommittedEvents()).toEqual(decided);
    expect(escalation.currentState).toEqual(
      decided.reduce(evolveEscalation, INITIAL_ESCALATION_STATE),
    );
    expect(escalation.escalation).toBe(escalation.currentState.escalation);
  });

  it('answers whether a timer decided anything', () => {
    const early = given([raised]);
    expect(
      early.deadlinePassed('respondBy', L0.respondBy, null, at('2026-11-25T23:59:59.999Z')),
    ).toBe(false);
    expect(early.getUncommittedEvents()).toEqual([]);

    const due = given([raised]);
    expect(due.deadlinePassed('respondBy', L0.respondBy, pieter, at(L0.respondBy))).toBe(true);
    expect(due.getUncommittedEvents().map((e) => e.type)).toEqual(['escalation.Escalated']);

    const directive = given(withDecision);
    expect(directive.directiveDue('d-1')).toBe(true);
    expect(directive.directiveDue('d-1')).toBe(false);
    expect(directive.getUncommittedEvents().map((e) => e.type)).toEqual([
      'escalation.DirectiveOverdue',
    ]);
  });
});
