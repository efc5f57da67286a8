import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import type { Projection } from '#libs/projections/projection.js';
import {
  loadEscalation,
  loadEscalations,
  loadFamilies,
  loadGoal,
  loadGoals,
  writeBatch,
  type Batch,
  type LoadedFamily,
} from './monitor-facts-rows.js';
import {
  foldEscalationFacts,
  foldPlanFacts,
  MONITOR_EVENT_TYPES,
  type MonitorEscalationEvent,
  type MonitorFamilyEvent,
  type MonitorPlanEvent,
  type MonitorTeamEvent,
  type PlanGoals,
} from './monitor-facts.fold.js';

const PLAN_STREAM = 'gezinsplan-';

/*
 * What `flush` would fail on fails its own event here (a poison event, named): a statement of
 * `flush` that fails is no handler's failure, and the batch would be tried again for ever.
 */

/** Ids compared as PostgreSQL compares uuids, so that one counter is one key. */
function uuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isUuid(value)) throw new Error(`${what} is no uuid`);
  return value.toLowerCase();
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is no text`);
  return value;
}

function checked(event: MonitorPlanEvent | MonitorEscalationEvent): void {
  const lifecycle = (value: unknown) => {
    if (value != null) text(value, 'lifecycleStatus');
  };
  const level = (value: unknown) => {
    if (!Number.isSafeInteger(value)) throw new Error('The level is no integer');
  };
  switch (event.type) {
    case 'gezinsplan.GoalAdded':
      text(event.data.goal?.goalId, 'goalId');
      return lifecycle(event.data.goal.lifecycleStatus);
    case 'gezinsplan.GoalChanged':
      text(event.data.goalId, 'goalId');
      return lifecycle(event.data.lifecycleStatus);
    case 'escalation.Escalated':
      return level(event.data.toLevel);
    case 'escalation.Reopened':
      return level(event.data.level);
    case 'escalation.SignalRaised':
      uuid(event.data.teamId, 'teamId');
  }
}

/** The family a family or plan event is about (plan streams are named after the family). */
function familyOf(event: RecordedEvent): unknown {
  if (event.type === 'family.FamilyRegistered') {
    return (event.data as { familyId?: unknown }).familyId;
  }
  return event.type.startsWith('gezinsplan.') ? event.streamId.slice(PLAN_STREAM.length) : null;
}

function goalIdOf(event: MonitorPlanEvent): string | undefined {
  if (event.type === 'gezinsplan.GoalAdded') return event.data.goal.goalId;
  if (event.type === 'gezinsplan.GoalChanged') return event.data.goalId;
  return undefined;
}

/**
 * Keeps the policy monitor's figures (monitor.query.ts) as events arrive: per calendar month
 * and team the cases, agreements, goals and open escalations, and a histogram of the days to
 * agreement, so that a read is a few index ranges whatever the number of families. It folds
 * the team, family, plan and escalation events itself (the monitor reads no other
 * capability's tables) into per-family plan facts, goal rows and per-escalation facts holding
 * just what the figures are counted from. Which plan counts is what plan_views held: the
 * family's current or last plan, in the month it was opened, with the family's team. Each
 * batch loads what it touches with one statement per table, folds in memory, writes each row
 * once and adds to the counters the difference between what each plan and escalation
 * contributed before and after.
 */
@Injectable()
export class MonitorFactsProjection implements Projection {
  readonly name = 'monitor';
  readonly tables = [
    'monitor_teams',
    'monitor_families',
    'monitor_plans',
    'monitor_goals',
    'monitor_escalations',
    'monitor_counts',
    'monitor_agreement_days',
  ];
  readonly eventTypes = MONITOR_EVENT_TYPES;
  private readonly batches = new BatchState<Batch>(() => ({
    families: new Map(),
    escalations: new Map(),
    teams: new Map(),
  }));

  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    const valid = (id: unknown): id is string => typeof id === 'string' && isUuid(id);
    const families = [
      ...new Set(
        events
          .map(familyOf)
          .filter(valid)
          .map((id) => id.toLowerCase()),
      ),
    ];
    await loadFamilies(manager, batch, families);
    const goals = events.flatMap((e) => {
      if (!e.type.startsWith('gezinsplan.')) return [];
      const goalId = goalIdOf(e as unknown as MonitorPlanEvent);
      const familyId = familyOf(e);
      return valid(familyId) && typeof goalId === 'string'
        ? [{ familyId: familyId.toLowerCase(), goalId }]
        : [];
    });
    await loadGoals(manager, batch, goals);
    const escalations = events
      .filter((e) => e.type.startsWith('escalation.'))
      .map((e) => (e.data as { escalationId?: unknown }).escalationId)
      .filter(valid)
      .map((id) => id.toLowerCase());
    await loadEscalations(manager, batch, [...new Set(escalations)]);
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    if (recorded.type === 'team.TeamCreated') {
      const { teamId, wijk, stadsdeel } = (recorded as unknown as MonitorTeamEvent).data;
      const team_id = uuid(teamId, 'teamId');
      batch.teams.set(team_id, {
        team_id,
        wijk: text(wijk, 'wijk'),
        stadsdeel: text(stadsdeel, 'stadsdeel'),
      });
      return;
    }
    if (recorded.type === 'family.FamilyRegistered') {
      const { familyId, teamId } = (recorded as unknown as MonitorFamilyEvent).data;
      const family = await this.family(manager, batch, uuid(familyId, 'familyId'));
      // As family_views: the first registration names the team (a second one is refused).
      family.team ??= uuid(teamId, 'teamId');
      return;
    }
    if (recorded.type.startsWith('gezinsplan.')) {
      const event = recorded as unknown as MonitorPlanEvent;
      checked(event);
      const familyId = uuid(recorded.streamId.slice(PLAN_STREAM.length), 'The plan stream');
      const family = await this.family(manager, batch, familyId);
      const goalId = goalIdOf(event);
      if (goalId !== undefined) await loadGoal(manager, family, familyId, goalId);
      family.plan = foldPlanFacts(family.plan, goalsOf(family), event);
      return;
    }
    const event = recorded as unknown as MonitorEscalationEvent;
    const id = uuid(event.data.escalationId, 'escalationId');
    checked(event);
    const escalation = batch.escalations.get(id) ?? (await loadEscalation(manager, batch, id));
    const folded = foldEscalationFacts(escalation.now, event);
    escalation.now = folded && { ...folded, teamId: folded.teamId.toLowerCase() };
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (batch) await writeBatch(manager, batch);
  }

  private async family(manager: EntityManager, batch: Batch, id: string) {
    if (!batch.families.has(id)) await loadFamilies(manager, batch, [id]);
    return batch.families.get(id)!;
  }
}

/** The family's goals as the fold sees them: a new plan starts without any. */
function goalsOf(family: LoadedFamily): PlanGoals {
  return {
    lookup: (goalId) => family.goals.get(goalId),
    set: (goalId, lifecycles) => {
      family.goals.set(goalId, lifecycles);
      family.changedGoals.add(goalId);
    },
    clear: () => {
      family.goals.clear();
      family.changedGoals.clear();
      family.replaced = true;
    },
  };
}
