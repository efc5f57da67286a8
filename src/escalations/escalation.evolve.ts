import type { DecidedEscalationEvent } from './escalation.events.js';
import type { Escalation, Level, LevelPeriod } from './escalation.model.js';

export interface EscalationState {
  readonly escalation?: Escalation;
}

export const INITIAL_ESCALATION_STATE: EscalationState = {};

function enter(periods: readonly LevelPeriod[], level: Level, at: string): LevelPeriod[] {
  return [
    ...periods.map((p) => (p.leftAt === null ? { ...p, leftAt: at } : p)),
    { level, enteredAt: at, leftAt: null },
  ];
}

const withHolder = (involved: readonly string[], holder: { professionalId: string } | null) =>
  holder && !involved.includes(holder.professionalId)
    ? [...involved, holder.professionalId]
    : [...involved];

const leave = (periods: readonly LevelPeriod[], at: string) =>
  periods.map((p) => (p.leftAt === null ? { ...p, leftAt: at } : p));

function evolveRaised(e: Escalation, event: DecidedEscalationEvent): Escalation {
  switch (event.type) {
    case 'escalation.Acknowledged':
      return { ...e, respondedAt: event.data.acknowledgedAt };
    case 'escalation.Escalated': {
      const { toLevel, holder, deadlines, escalatedAt } = event.data;
      return {
        ...e,
        level: toLevel,
        holder,
        involved: withHolder(e.involved, holder),
        deadlines,
        // A procesregisseur the family already had holds the new level at once.
        respondedAt: holder ? escalatedAt : null,
        periods: enter(e.periods, toLevel, escalatedAt),
      };
    }
    case 'escalation.HolderAppointed':
      return {
        ...e,
        holder: event.data.holder,
        involved: withHolder(e.involved, event.data.holder),
        respondedAt: event.data.appointedAt,
      };
    case 'escalation.DeadlineMissed':
      return { ...e, missed: [...e.missed, `${event.data.level}:${event.data.deadline}`] };
    case 'escalation.DecisionTaken': {
      const { escalationId: _, directives, decidedAt, ...decision } = event.data;
      return {
        ...e,
        decision: {
          ...decision,
          decidedAt,
          decidedBy: e.holder?.professionalId ?? '',
          directives: directives.map((d) => ({
            ...d,
            status: 'open',
            completedAt: null,
            overdue: false,
          })),
        },
      };
    }
    case 'escalation.DirectiveCompleted':
    case 'escalation.DirectiveOverdue': {
      if (!e.decision) return e;
      const { directiveId } = event.data;
      const directives = e.decision.directives.map((d) =>
        d.directiveId !== directiveId
          ? d
          : event.type === 'escalation.DirectiveCompleted'
            ? { ...d, status: 'done' as const, completedAt: event.data.completedAt }
            : { ...d, overdue: true },
      );
      return { ...e, decision: { ...e.decision, directives } };
    }
    case 'escalation.Resolved':
      return {
        ...e,
        status: 'resolved',
        closedAt: event.data.resolvedAt,
        closingText: event.data.outcome,
        periods: leave(e.periods, event.data.resolvedAt),
      };
    case 'escalation.Withdrawn':
      return {
        ...e,
        status: 'withdrawn',
        closedAt: event.data.withdrawnAt,
        closingText: event.data.reason,
        periods: leave(e.periods, event.data.withdrawnAt),
      };
    case 'escalation.Reopened': {
      const { level, deadlines, reopenedAt } = event.data;
      return {
        ...e,
        status: 'open',
        level,
        deadlines,
        // Level 0 is acknowledged again; above it, the holder still holds the level.
        respondedAt: e.holder && level > 0 ? reopenedAt : null,
        missed: [],
        closedAt: null,
        closingText: null,
        reopened: e.reopened + 1,
        periods: enter(e.periods, level, reopenedAt),
      };
    }
    case 'escalation.SignalRaised':
      return e;
  }
}

/**
 * Pure fold, shared by the decider, the projection and the tests. It folds stored events and
 * decided ones alike (the tests, the bench's wrapper): the state keeps the texts as they came.
 */
export function evolveEscalation(
  state: EscalationState,
  event: DecidedEscalationEvent,
): EscalationState {
  if (event.type === 'escalation.SignalRaised') {
    const d = event.data;
    return {
      escalation: {
        escalationId: d.escalationId,
        familyId: d.familyId,
        teamId: d.teamId,
        signalId: d.signalId,
        category: d.category,
        description: d.description,
        ...(d.confidentiality ? { confidentiality: d.confidentiality } : {}),
        automatic: d.automatic,
        cause: d.cause,
        raisedBy: d.raisedBy,
        raisedAt: d.raisedAt,
        level: 0,
        status: 'open',
        holder: d.holder,
        involved: withHolder([], d.holder),
        deadlines: d.deadlines,
        respondedAt: null,
        missed: [],
        periods: [{ level: 0, enteredAt: d.raisedAt, leftAt: null }],
        decision: null,
        closedAt: null,
        closingText: null,
        reopened: 0,
      },
    };
  }
  if (!state.escalation) return state;
  return { escalation: evolveRaised(state.escalation, event) };
}
