import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import {
  addToCounters,
  deleteRows,
  upsertRows,
  type BulkCounters,
  type BulkUpsert,
} from '../../libs/projections/bulk-write.js';
import type { Projection } from '../../libs/projections/projection.js';
import { escalationContribution, FigureDeltas, planContribution } from './monitor-contribution.js';
import {
  foldEscalationFacts,
  foldPlanFacts,
  MONITOR_EVENT_TYPES,
  type EscalationFacts,
  type MonitorEscalationEvent,
  type MonitorFamilyEvent,
  type MonitorPlanEvent,
  type MonitorTeamEvent,
  type PlanFacts,
  type PlanGoals,
} from './monitor-facts.fold.js';

const PLAN_STREAM = 'gezinsplan-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TEAMS: BulkUpsert = {
  table: 'monitor_teams',
  columns: [
    { name: 'team_id', type: 'uuid' },
    { name: 'wijk', type: 'text' },
    { name: 'stadsdeel', type: 'text' },
  ],
  conflict: ['team_id'],
  update: ['wijk', 'stadsdeel'],
};

const FAMILIES: BulkUpsert = {
  table: 'monitor_families',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'team_id', type: 'uuid' },
  ],
  conflict: ['family_id'],
  update: ['team_id'],
};

const PLANS: BulkUpsert = {
  table: 'monitor_plans',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'plan_id', type: 'uuid' },
    { name: 'opened_at', type: 'timestamptz' },
    { name: 'status', type: 'text' },
    { name: 'first_agreed_at', type: 'timestamptz' },
    { name: 'goals_achieved', type: 'integer' },
    { name: 'goals_assessed', type: 'integer' },
  ],
  conflict: ['family_id'],
  update: ['plan_id', 'opened_at', 'status', 'first_agreed_at', 'goals_achieved', 'goals_assessed'],
};

const GOALS: BulkUpsert = {
  table: 'monitor_goals',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'goal_id', type: 'text' },
    { name: 'lifecycles', type: 'text[]' },
  ],
  conflict: ['family_id', 'goal_id'],
  update: ['lifecycles'],
};

const ESCALATIONS: BulkUpsert = {
  table: 'monitor_escalations',
  columns: [
    { name: 'escalation_id', type: 'uuid' },
    { name: 'team_id', type: 'uuid' },
    { name: 'raised_at', type: 'timestamptz' },
    { name: 'level', type: 'integer' },
    { name: 'open', type: 'boolean' },
  ],
  conflict: ['escalation_id'],
  update: ['level', 'open'],
};

const PER_MONTH_AND_TEAM = [
  { name: 'year', type: 'integer' },
  { name: 'month', type: 'smallint' },
  { name: 'team_id', type: 'uuid' },
];
const COUNTS: BulkCounters = {
  table: 'monitor_counts',
  keys: [...PER_MONTH_AND_TEAM, { name: 'figure', type: 'text' }],
  count: 'count',
};
const AGREEMENT_DAYS: BulkCounters = {
  table: 'monitor_agreement_days',
  keys: [...PER_MONTH_AND_TEAM, { name: 'days', type: 'integer' }],
  count: 'plans',
};

interface FamilyRow {
  family_id: string;
  team_id: string | null;
  plan_id: string | null;
  opened_at: Date | null;
  status: string;
  first_agreed_at: Date | null;
  goals_achieved: number;
  goals_assessed: number;
}

interface EscalationRow {
  escalation_id: string;
  team_id: string;
  raised_at: Date | null;
  level: number;
  open: boolean;
}

/** A family as loaded for a batch: as stored (what it contributed), and as folded since. */
interface LoadedFamily {
  readonly storedTeam: string | null;
  readonly storedPlan: PlanFacts | null;
  team: string | null;
  plan: PlanFacts | null;
  /** Goals of the current plan looked up or folded: lifecycles per id, undefined for none. */
  readonly goals: Map<string, readonly string[] | undefined>;
  readonly changedGoals: Set<string>;
  /** A new plan was opened: the stored goals were the last plan's. */
  replaced: boolean;
}

interface LoadedEscalation {
  readonly stored: EscalationFacts | null;
  now: EscalationFacts | null;
}

/** What one batch (one transaction) has folded and not yet written. */
interface Batch {
  readonly families: Map<string, LoadedFamily>;
  readonly escalations: Map<string, LoadedEscalation>;
  readonly teams: Map<string, { team_id: string; wijk: string; stadsdeel: string }>;
}

const iso = (at: Date | null) => (at === null ? null : at.toISOString());

/** Ids compared as PostgreSQL compares uuids, so that one counter is one key. */
function uuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new Error(`${what} is no uuid`);
  return value.toLowerCase();
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
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, Batch>();

  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batchOf(manager);
    // An id that is no uuid is left to `apply`, which fails on its own event (a failed
    // statement here would abort the transaction and blame the batch's first event).
    const valid = (id: unknown): id is string => typeof id === 'string' && UUID.test(id);
    const families = [
      ...new Set(
        events
          .map(familyOf)
          .filter(valid)
          .map((id) => id.toLowerCase()),
      ),
    ];
    await this.loadFamilies(manager, batch, families);
    const goals = events.flatMap((e) => {
      if (!e.type.startsWith('gezinsplan.')) return [];
      const goalId = goalIdOf(e as unknown as MonitorPlanEvent);
      const familyId = familyOf(e);
      return valid(familyId) && typeof goalId === 'string'
        ? [{ familyId: familyId.toLowerCase(), goalId }]
        : [];
    });
    await this.loadGoals(manager, batch, goals);
    const escalations = events
      .filter((e) => e.type.startsWith('escalation.'))
      .map((e) => (e.data as { escalationId?: unknown }).escalationId)
      .filter(valid)
      .map((id) => id.toLowerCase());
    await this.loadEscalations(manager, batch, [...new Set(escalations)]);
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = this.batchOf(manager);
    if (recorded.type === 'team.TeamCreated') {
      const { teamId, wijk, stadsdeel } = (recorded as unknown as MonitorTeamEvent).data;
      const team_id = uuid(teamId, 'teamId');
      batch.teams.set(team_id, { team_id, wijk, stadsdeel });
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
      const familyId = uuid(recorded.streamId.slice(PLAN_STREAM.length), 'The plan stream');
      const family = await this.family(manager, batch, familyId);
      const goalId = goalIdOf(event);
      if (goalId !== undefined) await this.goal(manager, family, familyId, goalId);
      family.plan = foldPlanFacts(family.plan, goalsOf(family), event);
      return;
    }
    const event = recorded as unknown as MonitorEscalationEvent;
    const id = uuid(event.data.escalationId, 'escalationId');
    const escalation = batch.escalations.get(id) ?? (await this.escalation(manager, batch, id));
    if (event.type === 'escalation.SignalRaised') uuid(event.data.teamId, 'teamId');
    const folded = foldEscalationFacts(escalation.now, event);
    escalation.now = folded && { ...folded, teamId: folded.teamId.toLowerCase() };
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    const deltas = new FigureDeltas();
    await upsertRows(manager, TEAMS, [...batch.teams.values()]);

    const families = [...batch.families].filter(
      ([, f]) => f.team !== f.storedTeam || f.plan !== f.storedPlan,
    );
    for (const [, f] of families) {
      deltas.add(planContribution(f.storedTeam, f.storedPlan), -1);
      deltas.add(planContribution(f.team, f.plan), 1);
    }
    await upsertRows(
      manager,
      FAMILIES,
      families
        .filter(([, f]) => f.team !== f.storedTeam)
        .map(([family_id, f]) => ({ family_id, team_id: f.team })),
    );
    await upsertRows(
      manager,
      PLANS,
      families
        .filter(([, f]) => f.plan !== f.storedPlan && f.plan !== null)
        .map(([family_id, { plan }]) => ({
          family_id,
          plan_id: plan!.planId,
          opened_at: plan!.openedAt,
          status: plan!.status,
          first_agreed_at: plan!.firstAgreedAt,
          goals_achieved: plan!.goalsAchieved,
          goals_assessed: plan!.goalsAssessed,
        })),
    );
    const replaced = [...batch.families].filter(([, f]) => f.replaced).map(([id]) => id);
    await deleteRows(manager, 'monitor_goals', 'family_id', 'uuid', replaced);
    await upsertRows(
      manager,
      GOALS,
      [...batch.families].flatMap(([family_id, f]) =>
        [...f.changedGoals].map((goal_id) => ({
          family_id,
          goal_id,
          lifecycles: f.goals.get(goal_id),
        })),
      ),
    );

    const escalations = [...batch.escalations].filter(([, e]) => e.now !== e.stored);
    for (const [, e] of escalations) {
      deltas.add(escalationContribution(e.stored), -1);
      deltas.add(escalationContribution(e.now), 1);
    }
    await upsertRows(
      manager,
      ESCALATIONS,
      escalations
        .filter(([, e]) => e.now !== null)
        .map(([escalation_id, { now }]) => ({
          escalation_id,
          team_id: now!.teamId,
          raised_at: now!.raisedAt,
          level: now!.level,
          open: now!.open,
        })),
    );

    const changed = deltas.changed();
    await addToCounters(manager, COUNTS, changed.counts);
    await addToCounters(manager, AGREEMENT_DAYS, changed.days);
  }

  private batchOf(manager: EntityManager): Batch {
    let batch = this.batches.get(manager);
    if (!batch) {
      batch = { families: new Map(), escalations: new Map(), teams: new Map() };
      this.batches.set(manager, batch);
    }
    return batch;
  }

  private async family(manager: EntityManager, batch: Batch, id: string) {
    if (!batch.families.has(id)) await this.loadFamilies(manager, batch, [id]);
    return batch.families.get(id)!;
  }

  private async loadFamilies(manager: EntityManager, batch: Batch, ids: readonly string[]) {
    const wanted = ids.filter((id) => !batch.families.has(id));
    if (wanted.length === 0) return;
    const rows: FamilyRow[] = await manager.query(
      `SELECT x.family_id, f.team_id, p.plan_id, p.opened_at, p.status, p.first_agreed_at,
              p.goals_achieved, p.goals_assessed
         FROM unnest($1::uuid[]) AS x(family_id)
         LEFT JOIN monitor_families f ON f.family_id = x.family_id
         LEFT JOIN monitor_plans p ON p.family_id = x.family_id`,
      [wanted],
    );
    for (const row of rows) {
      const plan: PlanFacts | null =
        row.plan_id === null
          ? null
          : {
              planId: row.plan_id,
              openedAt: iso(row.opened_at),
              status: row.status,
              firstAgreedAt: iso(row.first_agreed_at),
              goalsAchieved: row.goals_achieved,
              goalsAssessed: row.goals_assessed,
            };
      batch.families.set(row.family_id, {
        storedTeam: row.team_id,
        storedPlan: plan,
        team: row.team_id,
        plan,
        goals: new Map(),
        changedGoals: new Set(),
        replaced: false,
      });
    }
  }

  /** Looks up the stored lifecycles of the goals asked that are not known in the batch yet. */
  private async loadGoals(
    manager: EntityManager,
    batch: Batch,
    wanted: ReadonlyArray<{ familyId: string; goalId: string }>,
  ) {
    const unknown = wanted.filter(({ familyId, goalId }) => {
      const family = batch.families.get(familyId)!;
      return !family.replaced && !family.goals.has(goalId);
    });
    if (unknown.length === 0) return;
    const rows: Array<{ family_id: string; goal_id: string; lifecycles: string[] }> =
      await manager.query(
        `SELECT g.family_id, g.goal_id, g.lifecycles
           FROM unnest($1::uuid[], $2::text[]) AS x(family_id, goal_id)
           JOIN monitor_goals g ON g.family_id = x.family_id AND g.goal_id = x.goal_id`,
        [unknown.map((g) => g.familyId), unknown.map((g) => g.goalId)],
      );
    for (const { familyId, goalId } of unknown) {
      batch.families.get(familyId)!.goals.set(goalId, undefined);
    }
    for (const row of rows)
      batch.families.get(row.family_id)!.goals.set(row.goal_id, row.lifecycles);
  }

  private async goal(
    manager: EntityManager,
    family: LoadedFamily,
    familyId: string,
    goalId: string,
  ) {
    if (family.replaced || family.goals.has(goalId)) return;
    const rows: Array<{ lifecycles: string[] }> = await manager.query(
      'SELECT lifecycles FROM monitor_goals WHERE family_id = $1 AND goal_id = $2',
      [familyId, goalId],
    );
    family.goals.set(goalId, rows[0]?.lifecycles);
  }

  private async loadEscalations(manager: EntityManager, batch: Batch, ids: readonly string[]) {
    const wanted = ids.filter((id) => !batch.escalations.has(id));
    if (wanted.length === 0) return;
    const rows: EscalationRow[] = await manager.query(
      `SELECT escalation_id, team_id, raised_at, level, open FROM monitor_escalations
        WHERE escalation_id = ANY($1::uuid[])`,
      [wanted],
    );
    for (const id of wanted) batch.escalations.set(id, { stored: null, now: null });
    for (const row of rows) {
      const stored: EscalationFacts = {
        teamId: row.team_id,
        raisedAt: iso(row.raised_at),
        level: row.level,
        open: row.open,
      };
      batch.escalations.set(row.escalation_id, { stored, now: stored });
    }
  }

  private async escalation(manager: EntityManager, batch: Batch, id: string) {
    await this.loadEscalations(manager, batch, [id]);
    return batch.escalations.get(id)!;
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
