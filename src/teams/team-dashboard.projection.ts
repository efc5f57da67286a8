import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { daysAfter, toDateString } from '#libs/clock/calendar.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { isUuid } from '#libs/projections/batch-state.js';
import type { Projection } from '#libs/projections/projection.js';
import type { DayBegan } from '#libs/timers/day-calendar.events.js';
import type { ErasureGranted, RetentionExpired } from '../erasure/erasure.events.js';
import type { EscalationEvent } from '../escalations/escalation.events.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';
import type { FamilyEvent, RegisteredMember } from '../families/family.events.js';
import type { PlanEvent } from '../plans/plan.events.js';
import { ageBandOn } from './age-band-change.js';
import {
  addCounts,
  contributionOf,
  foldPlan,
  isActive,
  loadedCase,
  type Counts,
  type DashboardCase,
  type LoadedCase,
} from './dashboard-case.js';
import { readCases, writeCaseRows } from './dashboard-case-rows.js';
import { ACTIVE, addToTeamCounters, recountCaseloads } from './dashboard-counters.js';
import type { AgeBand } from './team-dashboard.js';
import type { TeamCreated } from './team.events.js';

type Folded =
  | FamilyEvent
  | PlanEvent
  | EscalationEvent
  | ErasureGranted
  | RetentionExpired
  | TeamCreated
  | DayBegan;

/** The kind of the blind index of the day a member's age band changes. */
export const BAND_CHANGE = 'dashboard-band-change';
const PLAN_STREAM = 'gezinsplan-';

/** What one batch (one transaction) has folded and not yet written. */
interface Batch {
  /** The dashboards' day: the latest recorded day or event date (null: no event yet). */
  today: string | null;
  todayChanged: boolean;
  readonly cases: Map<string, LoadedCase>;
  /**
   * Cases as stored when the batch began (undefined: none), loaded by `prepare`; a case leaves
   * when the batch writes it or changes its rows in SQL, and is read again if needed.
   */
  readonly stored: Map<string, DashboardCase | undefined>;
  readonly deltas: Map<string, Counts>;
  /** `teamId professionalId` whose caseload row must be counted again. */
  readonly caseloads: Set<string>;
}

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

  /** Loads the stored case of every family of the batch with one statement. */
  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = await this.batchOf(manager);
    const families = new Set<string>();
    for (const e of events) {
      if (e.type.startsWith('family.')) families.add((e.data as { familyId: string }).familyId);
      else if (e.type.startsWith('gezinsplan.')) families.add(e.streamId.slice(PLAN_STREAM.length));
    }
    await this.readStored(manager, batch, [...families].filter(isUuid));
  }

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
        const loaded = loadedCase(state, today, this.config.EVALUATION_INTERVAL_MONTHS);
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
      case 'gezinsplan.ProgressNoteAdded':
        // Most notes are progress, not evaluations: nothing the dashboard counts changes.
        if (!event.data.note.evaluation) return;
        return this.foldPlanEvent(manager, batch, recorded.streamId, event);
      default:
        if (event.type.startsWith('gezinsplan.')) {
          return this.foldPlanEvent(manager, batch, recorded.streamId, event as PlanEvent);
        }
    }
  }

  private async foldPlanEvent(
    manager: EntityManager,
    batch: Batch,
    streamId: string,
    event: PlanEvent,
  ): Promise<void> {
    const loaded = await this.load(manager, batch, streamId.slice(PLAN_STREAM.length));
    if (loaded) foldPlan(loaded, event);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await this.writeCases(manager, batch);
    await addToTeamCounters(manager, batch.deltas);
    await recountCaseloads(
      manager,
      [...batch.caseloads].map((key) => {
        const space = key.indexOf(' ');
        return { teamId: key.slice(0, space), professionalId: key.slice(space + 1) };
      }),
    );
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
        stored: new Map(),
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

  private async addMember(loaded: LoadedCase, m: Omit<RegisteredMember, 'role'>, today: string) {
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

  private async readStored(manager: EntityManager, batch: Batch, familyIds: string[]) {
    const found = await readCases(manager, familyIds);
    for (const id of familyIds) batch.stored.set(id, found.get(id));
  }

  private async load(
    manager: EntityManager,
    batch: Batch,
    familyId: string,
  ): Promise<LoadedCase | undefined> {
    const pending = batch.cases.get(familyId);
    if (pending) return pending;
    if (!batch.stored.has(familyId)) await this.readStored(manager, batch, [familyId]);
    const state = batch.stored.get(familyId);
    batch.stored.delete(familyId);
    if (!state) return undefined;
    const loaded = loadedCase(state, batch.today!, this.config.EVALUATION_INTERVAL_MONTHS);
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
      family_id: string;
      personal: string;
      band: AgeBand;
      counted: boolean;
      team_id: string;
    }> = await manager.query(
      `SELECT m.member_id, m.family_id, m.personal, m.band, (m.current AND c.${ACTIVE}) AS counted,
              c.team_id
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
      batch.stored.delete(m.family_id);
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
    for (const loaded of batch.cases.values()) {
      const { state } = loaded;
      const delta = contributionOf(state, batch.today!, months);
      addCounts(delta, loaded.before, -1);
      for (const [figure, n] of delta) if (n !== 0) this.count(batch, state.teamId, figure, n);
      // A case's activity decides whether its professionals count it; joining changes one.
      const active = isActive(state);
      const recount =
        active !== loaded.activeBefore
          ? new Set([...loaded.caseTeamBefore, ...state.caseTeam.keys()])
          : active
            ? [...state.caseTeam.keys()].filter((p) => loaded.changed.has(`professional ${p}`))
            : [];
      for (const p of recount) batch.caseloads.add(`${state.teamId} ${p}`);
    }
    await writeCaseRows(manager, [...batch.cases.values()], months);
    // What `prepare` read of these is stale now (a case registered in the batch had no row).
    for (const familyId of batch.cases.keys()) batch.stored.delete(familyId);
    batch.cases.clear();
  }
}
