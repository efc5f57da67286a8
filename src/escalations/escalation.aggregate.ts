import {
  EventSourcedAggregate,
  type AggregateType,
} from '#libs/aggregates/event-sourced-aggregate.js';
import type { Independence } from '../plans/independence.js';
import {
  decideEscalation,
  directiveDue,
  escalationDecider,
  type EscalationCommand,
  type EscalationContext,
  type NewDecision,
  type NewSignal,
} from './escalation.decide.js';
import type { DecidedEscalationEvent } from './escalation.events.js';
import { evolveEscalation, type EscalationState } from './escalation.evolve.js';
import type { Deadlines, Escalation, Holder } from './escalation.model.js';

export {
  MIN_JUSTIFICATION_LENGTH,
  type EscalationContext,
  type NewDecision,
  type NewSignal,
} from './escalation.decide.js';

/**
 * One escalation in memory: state, version and the events not yet stored, over the pure
 * decider (escalation.decide.ts) and fold (escalation.evolve.ts). Commands over HTTP and the
 * timers go through the command pipeline with the decider itself; this wrapper earns its place
 * where a history is built in process (the benchmark's generator, its int-spec), with texts
 * sealed beforehand: its events are typed as decided (texts `string`), since no type can tell
 * that the caller sealed them. Stream `escalation-<escalationId>`.
 */
export class EscalationAggregate extends EventSourcedAggregate<
  EscalationState,
  DecidedEscalationEvent
> {
  protected initialState(): EscalationState {
    return escalationDecider.initialState;
  }

  protected evolve(state: EscalationState, event: DecidedEscalationEvent): EscalationState {
    return evolveEscalation(state, event);
  }

  get escalation(): Escalation | undefined {
    return this.state.escalation;
  }

  /** Applies what the decider decides; true when it decided anything. */
  run(command: EscalationCommand, ctx: EscalationContext): boolean {
    const events = decideEscalation(command, this.state, ctx);
    for (const event of events) this.apply(event);
    return events.length > 0;
  }

  raise(signal: NewSignal, ctx: EscalationContext): void {
    this.run({ type: 'Raise', escalationId: this.id, signal }, ctx);
  }

  acknowledge(ctx: EscalationContext): void {
    this.run({ type: 'Acknowledge' }, ctx);
  }

  escalate(reason: string, holder: Holder | null, automatic: boolean, ctx: EscalationContext) {
    this.run({ type: 'Escalate', reason, holder, automatic }, ctx);
  }

  appoint(holder: Holder, independence: Independence, ctx: EscalationContext): void {
    this.run({ type: 'Appoint', holder, independence }, ctx);
  }

  deadlinePassed(
    which: keyof Deadlines,
    dueAt: string,
    nextHolder: Holder | null,
    ctx: EscalationContext,
  ): boolean {
    return this.run({ type: 'PassDeadline', which, dueAt, nextHolder }, ctx);
  }

  decide(decision: NewDecision, deciderId: string, ctx: EscalationContext): void {
    this.run({ type: 'Decide', decision, deciderId }, ctx);
  }

  completeDirective(directiveId: string, ctx: EscalationContext): void {
    this.run({ type: 'CompleteDirective', directiveId }, ctx);
  }

  /** A directive's deadline timer fired; needs no moment, so no context. */
  directiveDue(directiveId: string): boolean {
    const events = directiveDue(this.state, directiveId);
    for (const event of events) this.apply(event);
    return events.length > 0;
  }

  resolve(outcome: string, ctx: EscalationContext): void {
    this.run({ type: 'Resolve', outcome }, ctx);
  }

  withdraw(reason: string, ctx: EscalationContext): void {
    this.run({ type: 'Withdraw', reason }, ctx);
  }

  reopen(reason: string, ctx: EscalationContext): void {
    this.run({ type: 'Reopen', reason }, ctx);
  }
}

export const EscalationType: AggregateType<EscalationAggregate> = {
  category: escalationDecider.category,
  snapshotVersion: escalationDecider.snapshotVersion,
  create: (id) => new EscalationAggregate(id),
};
