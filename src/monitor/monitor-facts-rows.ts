import type { EntityManager } from 'typeorm';
import {
  addToCounters,
  deleteRows,
  upsertRows,
  type BulkCounters,
  type BulkUpsert,
} from '#libs/projections/bulk-write.js';
import { escalationContribution, FigureDeltas, planContribution } from './monitor-contribution.js';
import type { EscalationFacts, PlanFacts } from './monitor-facts.fold.js';

/*
 * The rows of the monitor projection (monitor-facts.projection.ts): how a batch loads the
 * facts it touches, with one statement per table, and writes them back with the counters.
 */

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
export interface LoadedFamily {
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

export interface LoadedEscalation {
  readonly stored: EscalationFacts | null;
  now: EscalationFacts | null;
}

/** What one batch (one transaction) has folded and not yet written. */
export interface Batch {
  readonly families: Map<string, LoadedFamily>;
  readonly escalations: Map<string, LoadedEscalation>;
  readonly teams: Map<string, { team_id: string; wijk: string; stadsdeel: string }>;
}

const iso = (at: Date | null) => (at === null ? null : at.toISOString());

/**
 * Writes what a batch folded, each row once, and adds to the counters the difference between
 * what each plan and escalation it touched contributed before and after.
 */
export async function writeBatch(manager: EntityManager, batch: Batch): Promise<void> {
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

/** Loads the families not in the batch yet (a family without any row is one never seen). */
export async function loadFamilies(manager: EntityManager, batch: Batch, ids: readonly string[]) {
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
export async function loadGoals(
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
  for (const row of rows) batch.families.get(row.family_id)!.goals.set(row.goal_id, row.lifecycles);
}

/** One goal's stored lifecycles, for an `apply` of an event `prepare` did not see. */
export async function loadGoal(
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

/** Loads the escalations not in the batch yet (none stored: a signal not seen yet). */
export async function loadEscalations(
  manager: EntityManager,
  batch: Batch,
  ids: readonly string[],
) {
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

export async function loadEscalation(manager: EntityManager, batch: Batch, id: string) {
  await loadEscalations(manager, batch, [id]);
  return batch.escalations.get(id)!;
}
