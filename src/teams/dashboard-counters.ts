import type { EntityManager } from 'typeorm';
import type { Counts } from './dashboard-case.js';

/** An active case, in SQL over team_dashboard_cases (isActiveCase in team-dashboard.ts). */
export const ACTIVE = `plan_status IN ('draft', 'agreed')`;

/** Adds a batch's differences, per team, to the counters; a counter back at zero has no row. */
export async function addToCounters(
  manager: EntityManager,
  deltas: ReadonlyMap<string, Counts>,
): Promise<void> {
  const rows = [...deltas].flatMap(([team_id, counts]) =>
    [...counts].filter(([, n]) => n !== 0).map(([figure, count]) => ({ team_id, figure, count })),
  );
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO team_dashboard_counts AS t
     SELECT * FROM jsonb_populate_recordset(null::team_dashboard_counts, $1::jsonb)
     ON CONFLICT (team_id, figure) DO UPDATE SET count = t.count + excluded.count`,
    [JSON.stringify(rows)],
  );
  // A row exists exactly when its count is not zero, whatever the batches were: a rebuild
  // (other batch boundaries) then leaves the same rows as the live projection.
  await manager.query(
    'DELETE FROM team_dashboard_counts WHERE team_id = ANY($1::uuid[]) AND count = 0',
    [[...deltas.keys()]],
  );
}

/**
 * Counts a professional's active cases in a team again, with the alphabetically first name
 * they joined those cases under (compared as computeTeamFigures does, not by collation).
 */
export async function recountCaseload(
  manager: EntityManager,
  teamId: string,
  professionalId: string,
): Promise<void> {
  const rows: Array<{ name: string }> = await manager.query(
    `SELECT t.name FROM team_dashboard_case_team t
       JOIN team_dashboard_cases c ON c.family_id = t.family_id
      WHERE t.professional_id = $2 AND c.team_id = $1 AND c.${ACTIVE}`,
    [teamId, professionalId],
  );
  if (rows.length === 0) {
    await manager.query(
      'DELETE FROM team_dashboard_caseloads WHERE team_id = $1 AND professional_id = $2',
      [teamId, professionalId],
    );
    return;
  }
  const name = rows.map((r) => r.name).reduce((a, b) => (b < a ? b : a));
  await manager.query(
    `INSERT INTO team_dashboard_caseloads (team_id, professional_id, name, cases)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (team_id, professional_id) DO UPDATE SET name = excluded.name,
       cases = excluded.cases`,
    [teamId, professionalId, name, rows.length],
  );
}
