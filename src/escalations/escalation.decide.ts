import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import { assertIndependent, type Independence } from '../plans/independence.js';
import type {
  DecidedEscalationEvent,
  DecisionTaken,
  EscalationEvent,
  SignalRaised,
} from './escalation.events.js';
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
} from './escalation.model.js';
import type { Ladder } from './ladder.js';

export interface EscalationContext {
  readonly now: Date;
  readonly ladder: Ladder;
}

/** What the caller decides of a signal; the ladder adds the deadlines and the moment. */
export type NewSignal = Omit<
  SignalRaised<string>['data'],
  'escalationId' | 'deadlines' | 'raisedAt'
>;

/** The brandpuntfunctionaris's decision, its texts still plain: the rules read them. */
export type NewDecision = Omit<DecisionTaken<string>['data'], 'escalationId' | 'decidedAt'>;

/** "The difference between maatwerk and arbitrariness lies in the justification." */
export const MIN_JUSTIFICATION_LENGTH = 80;

/** Every command on an escalation stream; free texts are plain until the pipeline seals them. */
export type EscalationCommand =
  | { readonly type: 'Raise'; readonly escalationId: string; readonly signal: NewSignal }
  | { readonly type: 'Acknowledge' }
  /** `holder` is who holds the new level at once (a standing procesregisseur), if anyone. */
  | {
      readonly type: 'Escalate';
      readonly reason: string;
      readonly holder: Holder | null;
      readonly automatic: boolean;
    }
  | { readonly type: 'Appoint'; readonly holder: Holder; readonly independence: Independence }
  | {
      readonly type: 'PassDeadline';
      readonly which: keyof Deadlines;
      readonly dueAt: string;
      readonly nextHolder: Holder | null;
    }
  | { readonly type: 'Decide'; readonly decision: NewDecision; readonly deciderId: string }
  | { readonly type: 'CompleteDirective'; readonly directiveId: string }
  | { readonly type: 'DirectiveDue'; readonly directiveId: string }
  | { readonly type: 'Resolve'; readonly outcome: string }
  | { readonly type: 'Withdraw'; readonly reason: string }
  | { readonly type: 'Reopen'; readonly reason: string };

const isSafety = (e: Escalation) => e.category === 'safety';

function existing(state: EscalationState): Escalation {
  const e = state.escalation;
  if (!e) throw new DomainNotFound('No such escalation');
  return e;
}

function open(state: EscalationState): Escalation {
  const e = existing(state);
  if (e.status !== 'open') throw new DomainConflict(`This escalation is ${e.status}`);
  return e;
}

/**
 * One escalation of a stagnation signal up the ladder, as a pure function: the events a
 * command causes, or the rule it breaks. The timers' commands (PassDeadline, DirectiveDue)
 * decide nothing (an empty list) when the moment has passed them by.
 */
export function decideEscalation(
  command: EscalationCommand,
  state: EscalationState,
  ctx: EscalationContext,
): DecidedEscalationEvent[] {
  const now = ctx.now.toISOString();
  switch (command.type) {
    case 'Raise': {
      if (state.escalation) throw new DomainConflict('This signal was already raised');
      const { signal } = command;
      return [
        {
          type: 'escalation.SignalRaised',
          data: {
            escalationId: command.escalationId,
            ...signal,
            deadlines: ctx.ladder.deadlines(0, signal.category === 'safety', ctx.now),
            raisedAt: now,
          },
        },
      ];
    }
    case 'Acknowledge': {
      const e = open(state);
      if (e.level !== 0)
        throw new DomainRuleViolation('Only a signal at level 0 is acknowledged', 'level');
      if (e.respondedAt) throw new DomainConflict('This signal was already acknowledged');
      return [
        {
          type: 'escalation.Acknowledged',
          data: { escalationId: e.escalationId, acknowledgedAt: now },
        },
      ];
    }
    case 'Escalate':
      return [escalate(open(state), command.reason, command.holder, command.automatic, ctx)];
    case 'Appoint': {
      const e = open(state);
      if (e.level === 0) {
        throw new DomainRuleViolation(
          'Level 0 is held by the casusregisseur; nobody is appointed',
          'level',
        );
      }
      const role = e.level === 1 ? 'procesregisseur' : 'brandpuntfunctionaris';
      assertIndependent(command.independence, role);
      if (e.holder?.professionalId === command.holder.professionalId) {
        throw new DomainConflict(`This professional is already the ${role} of this escalation`);
      }
      return [
        {
          type: 'escalation.HolderAppointed',
          data: {
            escalationId: e.escalationId,
            level: e.level,
            holder: command.holder,
            appointedAt: now,
          },
        },
      ];
    }
    case 'PassDeadline':
      return deadlinePassed(state, command, ctx);
    case 'Decide':
      return [decide(open(state), command.decision, command.deciderId, ctx)];
    case 'CompleteDirective': {
      const e = open(state);
      const { directiveId } = command;
      const directive = e.decision?.directives.find((d) => d.directiveId === directiveId);
      if (!directive) throw new DomainNotFound(`No directive ${directiveId} in this escalation`);
      if (directive.status === 'done') throw new DomainConflict('This directive is already done');
      return [
        {
          type: 'escalation.DirectiveCompleted',
          data: { escalationId: e.escalationId, directiveId, completedAt: now },
        },
      ];
    }
    case 'DirectiveDue':
      return directiveDue(state, command.directiveId);
    case 'Resolve': {
      const e = open(state);
      return [
        {
          type: 'escalation.Resolved',
          data: { escalationId: e.escalationId, outcome: command.outcome, resolvedAt: now },
        },
      ];
    }
    case 'Withdraw': {
      const e = open(state);
      return [
        {
          type: 'escalation.Withdrawn',
          data: { escalationId: e.escalationId, reason: command.reason, withdrawnAt: now },
        },
      ];
    }
    case 'Reopen':
      return [reopen(existing(state), command.reason, ctx)];
  }
}

/** Moves one level up. */
function escalate(
  e: Escalation,
  reason: string,
  holder: Holder | null,
  automatic: boolean,
  ctx: EscalationContext,
): DecidedEscalationEvent {
  if (e.level >= TOP_LEVEL) {
    throw new DomainRuleViolation(
      'The brandpuntfunctionaris is the last step of the ladder',
      'level',
    );
  }
  const toLevel = (e.level + 1) as Level;
  return {
    type: 'escalation.Escalated',
    data: {
      escalationId: e.escalationId,
      fromLevel: e.level,
      toLevel,
      reason,
      automatic,
      holder,
      deadlines: ctx.ladder.deadlines(toLevel, isSafety(e), ctx.now),
      escalatedAt: ctx.now.toISOString(),
    },
  };
}

/**
 * A deadline timer fired. It only acts if that deadline is still the current one and unmet:
 * below the top the ladder moves up by itself; at the top the miss is recorded once.
 */
function deadlinePassed(
  state: EscalationState,
  {
    which,
    dueAt,
    nextHolder,
  }: { which: keyof Deadlines; dueAt: string; nextHolder: Holder | null },
  ctx: EscalationContext,
): DecidedEscalationEvent[] {
  const e = state.escalation;
  if (!e || e.status !== 'open' || e.deadlines[which] !== dueAt) return [];
  if (which === 'respondBy' && e.respondedAt) return [];
  if (which === 'resolveBy' && e.level === TOP_LEVEL && e.decision) return [];
  if (ctx.now.toISOString() < dueAt) return [];
  if (e.level < TOP_LEVEL) {
    const what =
      which === 'respondBy' ? (e.level === 0 ? 'acknowledged' : 'appointed') : 'resolved';
    return [escalate(e, `Not ${what} by the deadline of level ${e.level}`, nextHolder, true, ctx)];
  }
  if (e.missed.includes(`${e.level}:${which}`)) return [];
  return [
    {
      type: 'escalation.DeadlineMissed',
      data: {
        escalationId: e.escalationId,
        level: e.level,
        deadline: which,
        dueAt,
        holderId: e.holder?.professionalId ?? null,
      },
    },
  ];
}

/** The justification is measured here, on the plain text, before anything is sealed. */
function decide(
  e: Escalation,
  decision: NewDecision,
  deciderId: string,
  ctx: EscalationContext,
): DecidedEscalationEvent {
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
  if (decision.justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
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
  return {
    type: 'escalation.DecisionTaken',
    data: { escalationId: e.escalationId, ...decision, decidedAt: ctx.now.toISOString() },
  };
}

/** A directive's deadline timer fired: alert once if it is still open. */
export function directiveDue(
  state: EscalationState,
  directiveId: string,
): DecidedEscalationEvent[] {
  const e = state.escalation;
  const directive = e?.decision?.directives.find((d) => d.directiveId === directiveId);
  if (!e || e.status !== 'open' || !directive || directive.status !== 'open' || directive.overdue) {
    return [];
  }
  return [
    {
      type: 'escalation.DirectiveOverdue',
      data: {
        escalationId: e.escalationId,
        directiveId,
        organisation: directive.organisation,
        dueDate: directive.dueDate,
        holderId: e.holder?.professionalId ?? null,
      },
    },
  ];
}

/** Once, within the reopening window, when the same stagnation returns. */
function reopen(e: Escalation, reason: string, ctx: EscalationContext): DecidedEscalationEvent {
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
  return {
    type: 'escalation.Reopened',
    data: {
      escalationId: e.escalationId,
      reason,
      level: e.level,
      deadlines: ctx.ladder.deadlines(e.level, isSafety(e), ctx.now),
      reopenedAt: ctx.now.toISOString(),
    },
  };
}

/** One escalation: stream `escalation-<escalationId>`, decided and folded by pure functions. */
export const escalationDecider: Decider<
  EscalationState,
  EscalationCommand,
  EscalationEvent,
  DecidedEscalationEvent,
  EscalationContext
> = {
  category: 'escalation',
  snapshotVersion: 1,
  label: 'escalation',
  initialState: INITIAL_ESCALATION_STATE,
  evolve: evolveEscalation,
  decide: decideEscalation,
};
