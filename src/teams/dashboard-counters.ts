import type { EntityManager } from 'typeorm';
import {
  addToCounters,
  upsertRows,
  type BulkCounters,
  type BulkUpsert,
} from '#libs/projections/bulk-write.js';
import type { Counts } from './dashboard-case.js';

/** An active case, in SQL over team_dashboard_cases (isActiveCase in team-dashboard.ts). */
export const ACTIVE = `plan_status IN ('draft', 'agreed')`;

const COUNTERS: BulkCounters = {
  table: 'team_dashboard_counts',
  keys: [
    { name: 'team_id', type: 'uuid' },
    { name: 'figure', type: 'text' },
  ],
  count: 'count',
};

/** Adds a batch's differences, per team, to the counters; a counter back at zero has no row. */
export async function addToTeamCounters(
  manager: EntityManager,
  deltas: ReadonlyMap<string, Counts>,
): Promise<void> {
  await addToCounters(
    manager,
    COUNTERS,
    [...deltas].flatMap(([team_id, counts]) =>
      [...counts].filter(([, n]) => n !== 0).map(([figure, count]) => ({ team_id, figure, count })),
    ),
  );
}

/**
 * Counts each professional's active cases in a team again, with the alphabetically first name
 * they joined those cases under (compared as computeTeamFigures does, not by collation): one
 * statement reads them all, one writes the counts, one deletes the caseloads now empty.
 */
export async function recountCaseloads(
  manager: EntityManager,
  keys: ReadonlyArray<{ teamId: string; professionalId: string }>,
): Promise<void> {
  if (keys.length === 0) return;
  const teams = keys.map((k) => k.teamId);
  const professionals = keys.map((k) => k.professionalId);
  const rows: Array<{ team_id: string; professional_id: string; names: string[] }> =
    await manager.query(
      `SELECT k.team_id, k.professional_id, array_agg(t.name) AS names
         FROM unnest($1::uuid[], $2::text[]) AS k(team_id, professional_id)
         JOIN team_dashboard_case_team t ON t.professional_id = k.professional_id
         JOIN team_dashboard_cases c ON c.family_id = t.family_id
        WHERE c.team_id = k.team_id AND c.${ACTIVE}
        GROUP BY k.team_id, k.professional_id`,
      [teams, professionals],
    );
  await upsertRows(
    manager,
    CASELOADS,
    rows.map((r) => ({
      team_id: r.team_id,
      professional_id: r.professional_id,
      name: r.names.reduce((a, b) => (b < a ? b : a)),
      cases: r.names.length,
    })),
  );
  await manager.query(
    `DELETE FROM team_dashboard_caseloads l
      USING unnest($1::uuid[], $2::text[]) AS k(team_id, professional_id)
      WHERE l.team_id = k.team_id AND l.professional_id = k.professional_id
        AND NOT EXISTS (SELECT 1 FROM unnest($3::uuid[], $4::text[]) AS kept(team_id, professional_id)
                         WHERE kept.team_id = k.team_id AND kept.professional_id = k.professional_id)`,
    [teams, professionals, rows.map((r) => r.team_id), rows.map((r) => r.professional_id)],
  );
}

const CASELOADS: BulkUpsert = {
  table: 'team_dashboard_caseloads',
  columns: [
    { name: 'team_id', type: 'uuid' },
    { name: 'professional_id', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'cases', type: 'integer' },
  ],
  conflict: ['team_id', 'professional_id'],
  update: ['name', 'cases'],
};
