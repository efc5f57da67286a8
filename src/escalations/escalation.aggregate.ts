import {
  EventSourcedAggregate,
  type AggregateType,
} from '#libs/aggregates/event-sourced-aggregate.js';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { EscalationEvent, SignalRaised } from './escalation.events.js';
import {
  evolveEscalation,
  INITIAL_ESCALATION_STATE,
  type EscalationState,
} from './escalation.evolve.js';
import {
  TOP_LEVEL,
  type Deadlines,
  type Escalation,
  type Holder,
  type Level,
  type MaatwerkKind,
} from './escalation.model.js';
import { assertIndependent, type Independence } from '../plans/independence.js';
import type { Ladder } from './ladder.js';

export interface EscalationContext {
  readonly now: Date;
  readonly ladder: Ladder;
}

/** What the caller decides of a signal; the ladder adds the deadlines and the moment. */
export type NewSignal = Omit<SignalRaised['data'], 'escalationId' | 'deadlines' | 'raisedAt'>;

export interface NewDecision {
  solution: string;
  maatwerk: MaatwerkKind;
  justification: string;
  /** The plain justification's length: the sealed text cannot be measured. */
  justificationLength: number;
  budgetEuros: number | null;
  directives: Array<{
    directiveId: string;
    organisation: string;
    description: string;
    dueDate: string;
  }>;
}

/** "The difference between maatwerk and arbitrariness lies in the justification." */
export const MIN_JUSTIFICATION_LENGTH = 80;

const isSafety = (e: Escalation) => e.category === 'safety';

/** One escalation of a stagnation signal up the ladder. Stream `escalation-<escalationId>`. */
export class EscalationAggregate extends EventSourcedAggregate<EscalationState, EscalationEvent> {
  protected initialState(): EscalationState {
    return INITIAL_ESCALATION_STATE;
  }

  protected evolve(state: EscalationState, event: EscalationEvent): EscalationState {
    return evolveEscalation(state, event);
  }

  get escalation(): Escalation | undefined {
    return this.state.escalation;
  }

  raise(signal: NewSignal, ctx: EscalationContext): void {
    if (this.state.escalation) throw new DomainConflict('This signal was already raised');
    this.apply({
      type: 'escalation.SignalRaised',
      data: {
        escalationId: this.id,
        ...signal,
        deadlines: ctx.ladder.deadlines(0, signal.category === 'safety', ctx.now),
        raisedAt: ctx.now.toISOString(),
      },
    });
  }

  acknowledge(ctx: EscalationContext): void {
    const e = this.open();
    if (e.level !== 0)
      throw new DomainRuleViolation('Only a signal at level 0 is acknowledged', 'level');
    if (e.respondedAt) throw new DomainConflict('This signal was already acknowledged');
    this.apply({
      type: 'escalation.Acknowledged',
      data: { escalationId: this.id, acknowledgedAt: ctx.now.toISOString() },
    });
  }

  /** Moves one level up; `holder` is who holds the new level at once (a standing procesregisseur). */
  escalate(
    reason: string,
    holder: Holder | null,
    automatic: boolean,
    ctx: EscalationContext,
  ): void {
    const e = this.open();
    if (e.level >= TOP_LEVEL) {
      throw new DomainRuleViolation(
        'The brandpuntfunctionaris is the last step of the ladder',
        'level',
      );
    }
    const toLevel = (e.level + 1) as Level;
    this.apply({
      type: 'escalation.Escalated',
      data: {
        escalationId: this.id,
        fromLevel: e.level,
        toLevel,
        reason,
        automatic,
        holder,
        deadlines: ctx.ladder.deadlines(toLevel, isSafety(e), ctx.now),
        escalatedAt: ctx.now.toISOString(),
      },
    });
  }

  appoint(holder: Holder, independence: Independence, ctx: EscalationContext): void {
    const e = this.open();
    if (e.level === 0) {
      throw new DomainRuleViolation(
        'Level 0 is held by the casusregisseur; nobody is appointed',
        'level',
      );
    }
    const role = e.level === 1 ? 'procesregisseur' : 'brandpuntfunctionaris';
    assertIndependent(independence, role);
    if (e.holder?.professionalId === holder.professionalId) {
      throw new DomainConflict(`This professional is already the ${role} of this escalation`);
    }
    this.apply({
      type: 'escalation.HolderAppointed',
      data: { escalationId: this.id, level: e.level, holder, appointedAt: ctx.now.toISOString() },
    });
  }

  /**
   * A deadline timer fired. It only acts if that deadline is still the current one and unmet:
   * below the top the ladder moves up by itself; at the top the miss is recorded once.
   */
  deadlinePassed(
    which: keyof Deadlines,
    dueAt: string,
    nextHolder: Holder | null,
    ctx: EscalationContext,
  ): boolean {
    const e = this.state.escalation;
    if (!e || e.status !== 'open' || e.deadlines[which] !== dueAt) return false;
    if (which === 'respondBy' && e.respondedAt) return false;
    if (which === 'resolveBy' && e.level === TOP_LEVEL && e.decision) return false;
    if (ctx.now.toISOString() < dueAt) return false;
    if (e.level < TOP_LEVEL) {
      const what =
        which === 'respondBy' ? (e.level === 0 ? 'acknowledged' : 'appointed') : 'resolved';
      this.escalate(`Not ${what} by the deadline of level ${e.level}`, nextHolder, true, ctx);
      return true;
    }
    if (e.missed.includes(`${e.level}:${which}`)) return false;
    this.apply({
      type: 'escalation.DeadlineMissed',
      data: {
        escalationId: this.id,
        level: e.level,
        deadline: which,
        dueAt,
        holderId: e.holder?.professionalId ?? null,
      },
    });
    return true;
  }

  decide(decision: NewDecision, deciderId: string, ctx: EscalationContext): void {
    const e = this.open();
    if (e.level !== TOP_LEVEL) {
      throw new DomainRuleViolation('Only the brandpuntfunctionaris decides, at level 2', 'level');
    }
    if (e.holder?.professionalId !== deciderId) {
      throw new DomainRuleViolation(
        'Only the appointed brandpuntfunctionaris of this escalation decides',
        'brandpuntfunctionaris',
      );
    }
    if (e.decision) throw new DomainConflict('This escalation already has a decision');
    if (decision.justificationLength < MIN_JUSTIFICATION_LENGTH) {
      throw new DomainRuleViolation(
        `A maatwerk decision needs a written justification of at least ${MIN_JUSTIFICATION_LENGTH} characters: ` +
          'the justification is what separates maatwerk from arbitrariness',
        'justification',
      );
    }
    const today = ctx.now.toISOString().slice(0, 10);
    decision.directives.forEach((d, i) => {
      if (d.dueDate < today) {
        throw new DomainRuleViolation(
          'A directive cannot be due in the past',
          `directives[${i}].dueDate`,
        );
      }
    });
    const { justificationLength: _, ...data } = decision;
    this.apply({
      type: 'escalation.DecisionTaken',
      data: { escalationId: this.id, ...data, decidedAt: ctx.now.toISOString() },
    });
  }

  completeDirective(directiveId: string, ctx: EscalationContext): void {
    const e = this.open();
    const directive = e.decision?.directives.find((d) => d.directiveId === directiveId);
    if (!directive) throw new DomainNotFound(`No directive ${directiveId} in this escalation`);
    if (directive.status === 'done') throw new DomainConflict('This directive is already done');
    this.apply({
      type: 'escalation.DirectiveCompleted',
      data: { escalationId: this.id, directiveId, completedAt: ctx.now.toISOString() },
    });
  }

  /** A directive's deadline timer fired: alert once if it is still open. */
  directiveDue(directiveId: string): boolean {
    const e = this.state.escalation;
    const directive = e?.decision?.directives.find((d) => d.directiveId === directiveId);
    if (
      !e ||
      e.status !== 'open' ||
      !directive ||
      directive.status !== 'open' ||
      directive.overdue
    ) {
      return false;
    }
    this.apply({
      type: 'escalation.DirectiveOverdue',
      data: {
        escalationId: this.id,
        directiveId,
        organisation: directive.organisation,
        dueDate: directive.dueDate,
        holderId: e.holder?.professionalId ?? null,
      },
    });
    return true;
  }

  resolve(outcome: string, ctx: EscalationContext): void {
    this.open();
    this.apply({
      type: 'escalation.Resolved',
      data: { escalationId: this.id, outcome, resolvedAt: ctx.now.toISOString() },
    });
  }

  withdraw(reason: string, ctx: EscalationContext): void {
    this.open();
    this.apply({
      type: 'escalation.Withdrawn',
      data: { escalationId: this.id, reason, withdrawnAt: ctx.now.toISOString() },
    });
  }

  /** Once, within the reopening window, when the same stagnation returns. */
  reopen(reason: string, ctx: EscalationContext): void {
    const e = this.existing();
    if (e.status === 'open') throw new DomainConflict('This escalation is still open');
    if (e.reopened > 0) {
      throw new DomainRuleViolation(
        'An escalation can be reopened only once; raise a new signal',
        'escalationId',
      );
    }
    const windowDays = ctx.ladder.config.reopenWithinDays;
    const closedFor = ctx.now.getTime() - Date.parse(e.closedAt!);
    if (closedFor > windowDays * 24 * 60 * 60 * 1000) {
      throw new DomainRuleViolation(
        `An escalation can be reopened within ${windowDays} days of its end; raise a new signal`,
        'escalationId',
      );
    }
    this.apply({
      type: 'escalation.Reopened',
      data: {
        escalationId: this.id,
        reason,
        level: e.level,
        deadlines: ctx.ladder.deadlines(e.level, isSafety(e), ctx.now),
        reopenedAt: ctx.now.toISOString(),
      },
    });
  }

  private existing(): Escalation {
    const e = this.state.escalation;
    if (!e) throw new DomainNotFound('No such escalation');
    return e;
  }

  private open(): Escalation {
    const e = this.existing();
    if (e.status !== 'open') throw new DomainConflict(`This escalation is ${e.status}`);
    return e;
  }
}

export const EscalationType: AggregateType<EscalationAggregate> = {
  category: 'escalation',
  snapshotVersion: 1,
  create: (id) => new EscalationAggregate(id),
};
