import type { EntityManager } from 'typeorm';
import type { PlanStatus } from '../plans/plan.model.js';
import { nextEvaluationOf, type DashboardCase, type LoadedCase } from './dashboard-case.js';
import type { AgeBand } from './team-dashboard.js';

interface CaseRow {
  family_id: string;
  team_id: string;
  plan_id: string | null;
  plan_status: PlanStatus;
  first_agreed_at: string | null;
  last_evaluation_at: string | null;
  actions: Array<{ actionId: string; planId: string; dueDate: string; open: boolean }>;
  members: Array<{
    memberId: string;
    current: boolean;
    personal: string;
    band: AgeBand;
    changesOn: string | null;
  }>;
  case_team: Array<{ professionalId: string; name: string }>;
}

/** Cases with their actions, members and case teams, in one query; a family without one is absent. */
export async function readCases(
  manager: EntityManager,
  familyIds: readonly string[],
): Promise<Map<string, DashboardCase>> {
  if (familyIds.length === 0) return new Map();
  const rows: CaseRow[] = await manager.query(
    `SELECT c.family_id, c.team_id, c.plan_id, c.plan_status, c.first_agreed_at,
              c.last_evaluation_at,
              coalesce((SELECT json_agg(json_build_object('actionId', a.action_id,
                  'planId', a.plan_id, 'dueDate', a.due_date, 'open', a.open))
                 FROM team_dashboard_actions a WHERE a.family_id = c.family_id), '[]') AS actions,
              coalesce((SELECT json_agg(json_build_object('memberId', m.member_id,
                  'current', m.current, 'personal', m.personal, 'band', m.band,
                  'changesOn', m.changes_on))
                 FROM team_dashboard_members m WHERE m.family_id = c.family_id), '[]') AS members,
              coalesce((SELECT json_agg(json_build_object('professionalId', t.professional_id,
                  'name', t.name))
                 FROM team_dashboard_case_team t WHERE t.family_id = c.family_id), '[]') AS case_team
         FROM team_dashboard_cases c WHERE c.family_id = ANY($1::uuid[])`,
    [familyIds],
  );
  return new Map(
    rows.map((row) => [
      row.family_id,
      {
        familyId: row.family_id,
        teamId: row.team_id,
        plan:
          row.plan_id === null
            ? null
            : {
                planId: row.plan_id,
                status: row.plan_status,
                firstAgreedAt: row.first_agreed_at,
                lastEvaluationAt: row.last_evaluation_at,
              },
        actions: new Map(row.actions.map(({ actionId, ...a }) => [actionId, a])),
        members: new Map(row.members.map(({ memberId, ...m }) => [memberId, m])),
        caseTeam: new Map(row.case_team.map((p) => [p.professionalId, p.name])),
      },
    ]),
  );
}

/**
 * Writes the cases a batch folded, one multi-row statement a table: the case rows, and of
 * their actions, members and case teams only the rows that changed.
 */
export async function writeCaseRows(
  manager: EntityManager,
  folded: readonly LoadedCase[],
  intervalMonths: number,
): Promise<void> {
  const cases: object[] = [];
  const actions: object[] = [];
  const members: object[] = [];
  const caseTeam: object[] = [];
  const deleted: string[] = [];
  for (const { state, changed: rows, deletedActions } of folded) {
    const changed = (kind: string, id: string) => rows.has(`${kind} ${id}`);
    cases.push({
      family_id: state.familyId,
      team_id: state.teamId,
      plan_id: state.plan?.planId ?? null,
      plan_status: state.plan?.status ?? null,
      first_agreed_at: state.plan?.firstAgreedAt ?? null,
      last_evaluation_at: state.plan?.lastEvaluationAt ?? null,
      next_evaluation: nextEvaluationOf(state, intervalMonths),
    });
    for (const [action_id, a] of state.actions) {
      if (!changed('action', action_id)) continue;
      actions.push({
        action_id,
        family_id: state.familyId,
        plan_id: a.planId,
        due_date: a.dueDate,
        open: a.open,
      });
    }
    deleted.push(...deletedActions);
    for (const [member_id, m] of state.members) {
      if (!changed('member', member_id)) continue;
      members.push({
        member_id,
        family_id: state.familyId,
        current: m.current,
        personal: m.personal,
        band: m.band,
        changes_on: m.changesOn,
      });
    }
    for (const [professional_id, name] of state.caseTeam) {
      if (changed('professional', professional_id)) {
        caseTeam.push({ family_id: state.familyId, professional_id, name });
      }
    }
  }
  if (cases.length === 0) return;
  await manager.query(
    `INSERT INTO team_dashboard_cases
     SELECT * FROM jsonb_populate_recordset(null::team_dashboard_cases, $1::jsonb)
     ON CONFLICT (family_id) DO UPDATE SET plan_id = excluded.plan_id,
       plan_status = excluded.plan_status, first_agreed_at = excluded.first_agreed_at,
       last_evaluation_at = excluded.last_evaluation_at, next_evaluation = excluded.next_evaluation`,
    [JSON.stringify(cases)],
  );
  if (deleted.length > 0) {
    await manager.query('DELETE FROM team_dashboard_actions WHERE action_id = ANY($1::text[])', [
      deleted,
    ]);
  }
  if (actions.length > 0) {
    await manager.query(
      `INSERT INTO team_dashboard_actions
       SELECT * FROM jsonb_populate_recordset(null::team_dashboard_actions, $1::jsonb)
       ON CONFLICT (action_id) DO UPDATE SET open = excluded.open`,
      [JSON.stringify(actions)],
    );
  }
  if (members.length > 0) {
    await manager.query(
      `INSERT INTO team_dashboard_members
       SELECT * FROM jsonb_populate_recordset(null::team_dashboard_members, $1::jsonb)
       ON CONFLICT (member_id) DO UPDATE SET current = excluded.current, band = excluded.band,
         changes_on = excluded.changes_on`,
      [JSON.stringify(members)],
    );
  }
  if (caseTeam.length > 0) {
    await manager.query(
      `INSERT INTO team_dashboard_case_team
       SELECT * FROM jsonb_populate_recordset(null::team_dashboard_case_team, $1::jsonb)
       ON CONFLICT (family_id, professional_id) DO UPDATE SET name = excluded.name`,
      [JSON.stringify(caseTeam)],
    );
  }
}
