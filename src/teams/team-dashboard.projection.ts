import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { toDateString } from '../../libs/clock/calendar.js';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import type { Projection } from '../../libs/projections/projection.js';
import type { ErasureGranted, RetentionExpired } from '../erasure/erasure.events.js';
import type { EscalationEvent } from '../escalations/escalation.events.js';
import { dateOfBirthOf } from '../families/date-of-birth.js';
import type { FamilyEvent, RegisteredMember } from '../families/family.events.js';
import type { PlanEvent } from '../plans/plan.events.js';
import type { PlanStatus } from '../plans/plan.model.js';
import { ageBandOn, daysAfter } from './age-band-change.js';
import type { DashboardDayBegan } from './dashboard-calendar.events.js';
import {
  addCounts,
  contributionOf,
  isActive,
  nextEvaluationOf,
  type Counts,
  type DashboardCase,
} from './dashboard-case.js';
import type { AgeBand } from './team-dashboard.js';
import type { TeamCreated } from './team.events.js';

type Folded =
  | FamilyEvent
  | PlanEvent
  | EscalationEvent
  | ErasureGranted
  | RetentionExpired
  | TeamCreated
  | DashboardDayBegan;

/** The kind of the blind index of the day a member's age band changes. */
const BAND_CHANGE = 'dashboard-band-change';

interface Loaded {
  readonly state: DashboardCase;
  /** What the case added to its team's counters when it was loaded. */
  readonly before: Counts;
  readonly caseTeamBefore: ReadonlySet<string>;
  readonly activeBefore: boolean;
  readonly deletedActions: Set<string>;
  /** Rows to write: `action <id>`, `member <id>`, `professional <id>`. */
  readonly changed: Set<string>;
}

/** What one batch (one transaction) has folded and not yet written. */
interface Batch {
  /** The dashboards' day: the latest recorded day or event date (null: no event yet). */
  today: string | null;
  todayChanged: boolean;
  readonly cases: Map<string, Loaded>;
  readonly deltas: Map<string, Counts>;
  /** `teamId professionalId` whose caseload row must be counted again. */
  readonly caseloads: Set<string>;
}

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

const ACTIVE = `plan_status IN ('draft', 'agreed')`;

/**
 * Keeps the SLT team dashboard's figures (team-dashboard.ts) as events arrive, so that a read
 * is a lookup of a few rows of one team. It folds the family, plan, escalation, erasure and
 * team events itself (the teams capability reads no other capability's tables), into per-case
 * rows holding just what the figures are counted from, and keeps per team the counters those
 * rows add up to: each batch loads the cases it touches, folds, and adds the difference
 * between what each case contributed before and after.
 *
 * Overdue actions, evaluations due and age bands depend on the day. The projection's day is
 * the latest of its events' dates and of the days the calendar recorded (a timer records one
 * at every midnight: team.DashboardDayBegan), so it is derived from events alone and two
 * rebuilds agree. When the day moves, what fell due in between is counted with indexed range
 * queries (due dates, evaluation dates) and a lookup of the members whose band changes on one
 * of the days passed, found by a blind index of that day.
 */
@Injectable()
export class TeamDashboardProjection implements Projection {
  readonly name = 'team-dashboard';
  readonly tables = [
    'team_dashboard_clock',
    'team_dashboard_teams',
    'team_dashboard_counts',
    'team_dashboard_caseloads',
    'team_dashboard_cases',
    'team_dashboard_actions',
    'team_dashboard_members',
    'team_dashboard_case_team',
    'team_dashboard_escalations',
  ];
  readonly eventTypes = [
    'team.TeamCreated',
    'team.DashboardDayBegan',
    'family.FamilyRegistered',
    'family.MemberAdded',
    'family.MemberDeparted',
    'family.ProfessionalJoinedCaseTeam',
    'gezinsplan.PlanOpened',
    'gezinsplan.ActionAdded',
    'gezinsplan.ActionCompleted',
    'gezinsplan.ProgressNoteAdded',
    'gezinsplan.PlanAgreed',
    'gezinsplan.PlanVersionOpened',
    'gezinsplan.PlanClosed',
    'escalation.SignalRaised',
    'escalation.Escalated',
    'escalation.Reopened',
    'escalation.Resolved',
    'escalation.Withdrawn',
    'erasure.ErasureGranted',
    'erasure.RetentionExpired',
  ];
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, Batch>();

  constructor(
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = await this.batchOf(manager);
    const event = recorded as unknown as RecordedEvent & Folded;
    const day =
      event.type === 'team.DashboardDayBegan'
        ? event.data.date
        : toDateString(new Date(recorded.metadata.occurredAt));
    if (batch.today === null) {
      batch.today = day;
      batch.todayChanged = true;
    } else if (day > batch.today) {
      await this.advance(manager, batch, day);
    }
    const today = batch.today;

    switch (event.type) {
      case 'team.DashboardDayBegan':
        return;
      case 'team.TeamCreated': {
        const { teamId, name, wijk, stadsdeel } = event.data;
        await manager.query(
          `INSERT INTO team_dashboard_teams (team_id, name, wijk, stadsdeel) VALUES ($1, $2, $3, $4)
           ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, wijk = excluded.wijk,
             stadsdeel = excluded.stadsdeel`,
          [teamId, name, wijk, stadsdeel],
        );
        return;
      }
      case 'family.FamilyRegistered': {
        const { familyId, teamId, members } = event.data;
        await manager.query(
          'INSERT INTO team_dashboard_teams (team_id) VALUES ($1) ON CONFLICT DO NOTHING',
          [teamId],
        );
        const state: DashboardCase = {
          familyId,
          teamId,
          plan: null,
          actions: new Map(),
          members: new Map(),
          caseTeam: new Map(),
        };
        const loaded: Loaded = {
          state,
          before: new Map(),
          caseTeamBefore: new Set(),
          activeBefore: false,
          deletedActions: new Set(),
          changed: new Set(),
        };
        batch.cases.set(familyId, loaded);
        for (const m of members) await this.addMember(loaded, m, today);
        return;
      }
      case 'family.MemberAdded': {
        const loaded = await this.load(manager, batch, event.data.familyId);
        if (loaded) await this.addMember(loaded, event.data, today);
        return;
      }
      case 'family.MemberDeparted': {
        const loaded = await this.load(manager, batch, event.data.familyId);
        const member = loaded?.state.members.get(event.data.memberId);
        if (member) Object.assign(member, { current: false, changesOn: null });
        loaded?.changed.add(`member ${event.data.memberId}`);
        return;
      }
      case 'family.ProfessionalJoinedCaseTeam': {
        const loaded = await this.load(manager, batch, event.data.familyId);
        if (!loaded) return;
        const { professionalId, name } = event.data;
        const known = loaded.state.caseTeam.get(professionalId);
        loaded.state.caseTeam.set(
          professionalId,
          known !== undefined && known < name ? known : name,
        );
        loaded.changed.add(`professional ${professionalId}`);
        return;
      }
      case 'escalation.SignalRaised': {
        const { escalationId, familyId } = event.data;
        const teamId =
          (await this.load(manager, batch, familyId))?.state.teamId ?? event.data.teamId;
        await manager.query(
          `INSERT INTO team_dashboard_escalations (escalation_id, team_id, level, open)
           VALUES ($1, $2, 0, true) ON CONFLICT (escalation_id) DO NOTHING`,
          [escalationId, teamId],
        );
        this.count(batch, teamId, 'escalations:0', 1);
        return;
      }
      case 'escalation.Escalated':
        return this.moveEscalation(
          manager,
          batch,
          event.data.escalationId,
          event.data.toLevel,
          true,
        );
      case 'escalation.Reopened':
        return this.moveEscalation(manager, batch, event.data.escalationId, event.data.level, true);
      case 'escalation.Resolved':
      case 'escalation.Withdrawn':
        return this.moveEscalation(manager, batch, event.data.escalationId, null, false);
      case 'erasure.ErasureGranted':
      case 'erasure.RetentionExpired':
        return this.erase(manager, batch, event.data.subjects);
      default:
        if (event.type.startsWith('gezinsplan.')) {
          const familyId = recorded.streamId.slice('gezinsplan-'.length);
          const loaded = await this.load(manager, batch, familyId);
          if (loaded) foldPlan(loaded, event as PlanEvent);
        }
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await this.writeCases(manager, batch);
    await this.writeCounts(manager, batch);
    await this.writeCaseloads(manager, batch);
    if (batch.todayChanged) {
      await manager.query(
        `INSERT INTO team_dashboard_clock (id, today) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET today = excluded.today`,
        [batch.today],
      );
    }
  }

  private async batchOf(manager: EntityManager): Promise<Batch> {
    let batch = this.batches.get(manager);
    if (!batch) {
      const rows: Array<{ today: string }> = await manager.query(
        'SELECT today::text AS today FROM team_dashboard_clock WHERE id = 1',
      );
      batch = {
        today: rows[0]?.today ?? null,
        todayChanged: false,
        cases: new Map(),
        deltas: new Map(),
        caseloads: new Set(),
      };
      this.batches.set(manager, batch);
    }
    return batch;
  }

  private count(batch: Batch, teamId: string, figure: string, n: number) {
    const counts = batch.deltas.get(teamId) ?? new Map<string, number>();
    counts.set(figure, (counts.get(figure) ?? 0) + n);
    batch.deltas.set(teamId, counts);
  }

  private async addMember(loaded: Loaded, m: Omit<RegisteredMember, 'role'>, today: string) {
    const { band, changesOn } = ageBandOn(await dateOfBirthOf(this.vault, m.personal), today);
    loaded.changed.add(`member ${m.memberId}`);
    loaded.state.members.set(m.memberId, {
      current: true,
      personal: m.personal,
      band,
      changesOn: this.changeIndex(changesOn),
    });
  }

  private changeIndex(day: string | null): string | null {
    return day === null ? null : this.vault.blindIndex(BAND_CHANGE, day);
  }

  private async load(
    manager: EntityManager,
    batch: Batch,
    familyId: string,
  ): Promise<Loaded | undefined> {
    const pending = batch.cases.get(familyId);
    if (pending) return pending;
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
         FROM team_dashboard_cases c WHERE c.family_id = $1`,
      [familyId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const state: DashboardCase = {
      familyId,
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
    };
    const loaded: Loaded = {
      state,
      before: contributionOf(state, batch.today!, this.config.EVALUATION_INTERVAL_MONTHS),
      caseTeamBefore: new Set(state.caseTeam.keys()),
      activeBefore: isActive(state),
      deletedActions: new Set(),
      changed: new Set(),
    };
    batch.cases.set(familyId, loaded);
    return loaded;
  }

  private async moveEscalation(
    manager: EntityManager,
    batch: Batch,
    escalationId: string,
    level: number | null,
    open: boolean,
  ): Promise<void> {
    const rows: Array<{ team_id: string; level: number; open: boolean }> = await manager.query(
      'SELECT team_id, level, open FROM team_dashboard_escalations WHERE escalation_id = $1',
      [escalationId],
    );
    const row = rows[0];
    if (!row) return;
    const next = level ?? row.level;
    if (row.open) this.count(batch, row.team_id, `escalations:${row.level}`, -1);
    if (open) this.count(batch, row.team_id, `escalations:${next}`, 1);
    await manager.query(
      'UPDATE team_dashboard_escalations SET level = $2, open = $3 WHERE escalation_id = $1',
      [escalationId, next, open],
    );
  }

  /** Crypto-shredding: the band of an erased member is unknown from now on, as in a rebuild. */
  private async erase(manager: EntityManager, batch: Batch, subjects: readonly string[]) {
    await this.writeCases(manager, batch);
    const rows: Array<{ family_id: string }> = await manager.query(
      'SELECT DISTINCT family_id FROM team_dashboard_members WHERE member_id = ANY($1::text[])',
      [subjects],
    );
    for (const { family_id } of rows) {
      const loaded = await this.load(manager, batch, family_id);
      for (const subject of subjects) {
        const member = loaded?.state.members.get(subject);
        if (member) Object.assign(member, { band: 'unknown', changesOn: null });
        if (member) loaded!.changed.add(`member ${subject}`);
      }
    }
  }

  /**
   * The day moved from `batch.today` to `day`: counts what fell due in between. Cases folded
   * in this batch are written first, so that the queries see them and they are counted with
   * the day they were folded on.
   */
  private async advance(manager: EntityManager, batch: Batch, day: string): Promise<void> {
    await this.writeCases(manager, batch);
    const from = batch.today!;
    const overdue: Array<{ team_id: string; n: number }> = await manager.query(
      `SELECT c.team_id, count(*)::int AS n
         FROM team_dashboard_actions a
         JOIN team_dashboard_cases c ON c.family_id = a.family_id AND c.plan_id = a.plan_id
        WHERE a.open AND a.due_date >= $1 AND a.due_date < $2 AND c.${ACTIVE}
        GROUP BY c.team_id`,
      [from, day],
    );
    for (const { team_id, n } of overdue) this.count(batch, team_id, 'overdueActions', n);
    const evaluations: Array<{ team_id: string; n: number }> = await manager.query(
      `SELECT team_id, count(*)::int AS n FROM team_dashboard_cases
        WHERE ${ACTIVE} AND next_evaluation > $1 AND next_evaluation <= $2
        GROUP BY team_id`,
      [from, day],
    );
    for (const { team_id, n } of evaluations) this.count(batch, team_id, 'evaluationsDue', n);
    const changing: Array<{
      member_id: string;
      personal: string;
      band: AgeBand;
      counted: boolean;
      team_id: string;
    }> = await manager.query(
      `SELECT m.member_id, m.personal, m.band, (m.current AND c.${ACTIVE}) AS counted, c.team_id
         FROM team_dashboard_members m JOIN team_dashboard_cases c ON c.family_id = m.family_id
        WHERE m.changes_on = ANY($1::text[])`,
      [daysAfter(from, day).map((d) => this.vault.blindIndex(BAND_CHANGE, d))],
    );
    for (const m of changing) {
      const { band, changesOn } = ageBandOn(await dateOfBirthOf(this.vault, m.personal), day);
      if (m.counted && band !== m.band) {
        this.count(batch, m.team_id, `band:${m.band}`, -1);
        this.count(batch, m.team_id, `band:${band}`, 1);
      }
      await manager.query(
        'UPDATE team_dashboard_members SET band = $2, changes_on = $3 WHERE member_id = $1',
        [m.member_id, band, this.changeIndex(changesOn)],
      );
    }
    batch.today = day;
    batch.todayChanged = true;
  }

  /** Writes the cases folded so far and adds what changed in their contributions. */
  private async writeCases(manager: EntityManager, batch: Batch): Promise<void> {
    if (batch.cases.size === 0) return;
    const months = this.config.EVALUATION_INTERVAL_MONTHS;
    const cases: object[] = [];
    const actions: object[] = [];
    const members: object[] = [];
    const caseTeam: object[] = [];
    const deleted: string[] = [];
    for (const loaded of batch.cases.values()) {
      const { state } = loaded;
      cases.push({
        family_id: state.familyId,
        team_id: state.teamId,
        plan_id: state.plan?.planId ?? null,
        plan_status: state.plan?.status ?? null,
        first_agreed_at: state.plan?.firstAgreedAt ?? null,
        last_evaluation_at: state.plan?.lastEvaluationAt ?? null,
        next_evaluation: nextEvaluationOf(state, months),
      });
      const changed = (kind: string, id: string) => loaded.changed.has(`${kind} ${id}`);
      for (const [action_id, a] of [...state.actions].filter(([id]) => changed('action', id))) {
        actions.push({
          action_id,
          family_id: state.familyId,
          plan_id: a.planId,
          due_date: a.dueDate,
          open: a.open,
        });
      }
      deleted.push(...loaded.deletedActions);
      for (const [member_id, m] of [...state.members].filter(([id]) => changed('member', id))) {
        members.push({
          member_id,
          family_id: state.familyId,
          current: m.current,
          personal: m.personal,
          band: m.band,
          changes_on: m.changesOn,
        });
      }
      const professionals = [...state.caseTeam].filter(([id]) => changed('professional', id));
      for (const [professional_id, name] of professionals) {
        caseTeam.push({ family_id: state.familyId, professional_id, name });
      }
      const delta = contributionOf(state, batch.today!, months);
      addCounts(delta, loaded.before, -1);
      for (const [figure, n] of delta) if (n !== 0) this.count(batch, state.teamId, figure, n);
      const active = isActive(state);
      const recount =
        active !== loaded.activeBefore
          ? new Set([...loaded.caseTeamBefore, ...state.caseTeam.keys()])
          : active
            ? professionals.map(([id]) => id)
            : [];
      for (const p of recount) batch.caseloads.add(`${state.teamId} ${p}`);
    }
    batch.cases.clear();
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

  /** Adds the batch's differences to the counters; a counter back at zero has no row. */
  private async writeCounts(manager: EntityManager, batch: Batch): Promise<void> {
    const rows = [...batch.deltas].flatMap(([team_id, counts]) =>
      [...counts].filter(([, n]) => n !== 0).map(([figure, count]) => ({ team_id, figure, count })),
    );
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO team_dashboard_counts AS t
       SELECT * FROM jsonb_populate_recordset(null::team_dashboard_counts, $1::jsonb)
       ON CONFLICT (team_id, figure) DO UPDATE SET count = t.count + excluded.count`,
      [JSON.stringify(rows)],
    );
    await manager.query(
      'DELETE FROM team_dashboard_counts WHERE team_id = ANY($1::uuid[]) AND count = 0',
      [[...batch.deltas.keys()]],
    );
  }

  /**
   * Counts a professional's active cases in a team again, with the alphabetically first name
   * they joined those cases under (compared as computeTeamFigures does, not by collation).
   */
  private async writeCaseloads(manager: EntityManager, batch: Batch): Promise<void> {
    for (const key of [...batch.caseloads].sort()) {
      const [teamId, professionalId] = [
        key.slice(0, key.indexOf(' ')),
        key.slice(key.indexOf(' ') + 1),
      ];
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
        continue;
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
    batch.caseloads.clear();
  }
}

/** The plan facts the dashboard counts from, folded as evolvePlan does (plan.evolve.ts). */
function foldPlan(loaded: Loaded, event: PlanEvent): void {
  const c = loaded.state;
  if (event.type === 'gezinsplan.PlanOpened') {
    // A new plan replaces the last one: its actions are no longer the family's.
    for (const id of c.actions.keys()) loaded.deletedActions.add(id);
    c.actions.clear();
    c.plan = {
      planId: event.data.planId,
      status: 'draft',
      firstAgreedAt: null,
      lastEvaluationAt: null,
    };
    return;
  }
  const plan = c.plan;
  if (!plan || plan.planId !== event.data.planId) return;
  switch (event.type) {
    case 'gezinsplan.ActionAdded': {
      const { actionId, dueDate, status } = event.data.action;
      loaded.deletedActions.delete(actionId);
      loaded.changed.add(`action ${actionId}`);
      c.actions.set(actionId, { planId: plan.planId, dueDate, open: status === 'open' });
      return;
    }
    case 'gezinsplan.ActionCompleted': {
      const action = c.actions.get(event.data.actionId);
      if (action) action.open = false;
      loaded.changed.add(`action ${event.data.actionId}`);
      return;
    }
    case 'gezinsplan.ProgressNoteAdded':
      if (event.data.note.evaluation) plan.lastEvaluationAt = event.data.note.writtenAt;
      return;
    case 'gezinsplan.PlanAgreed':
      plan.status = 'agreed';
      plan.firstAgreedAt = plan.firstAgreedAt ?? event.data.agreedAt;
      return;
    case 'gezinsplan.PlanVersionOpened':
      plan.status = 'draft';
      return;
    case 'gezinsplan.PlanClosed':
      plan.status = 'closed';
      return;
    default:
      return;
  }
}
