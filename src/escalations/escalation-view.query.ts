import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { PrivacyLens } from '../privacy/privacy-lens.js';
import type { Viewer } from '../privacy/viewer.js';
import { dossierMode, summaryReadsTexts, type DossierMode } from './escalation-dossier.js';
import { sealedFieldsOf } from './escalation.events.js';
import type { HistoryEntry } from './escalation.projection.js';
import type { Escalation, EscalationStatus, Level } from './escalation.model.js';

interface Row {
  document: Escalation;
  history: HistoryEntry[];
  due_at: Date | null;
}

export interface EscalationFilters {
  level?: Level;
  status?: EscalationStatus;
  overdue?: boolean;
  familyId?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LIST_LIMIT = 500;

/**
 * Who may see an escalation (alias e; $2 sub, $3 teams, $4 roles, $5 organisation): the
 * family's professionals (its case team and its SLT team, from the escalations' own copy of
 * them, escalation-families.projection.ts), everyone who held a level of it, the pool of its
 * current level while nobody holds it, the organisations a decision gave directives to, and
 * auditors. How much of it each of them gets is then decided per escalation
 * (escalation-dossier.ts).
 */
export const ESCALATION_ACCESS_SQL = `(
  EXISTS (SELECT 1 FROM escalation_families f
           WHERE f.family_id = e.family_id
             AND (f.team_id::text = ANY($3::text[])
                  OR EXISTS (SELECT 1 FROM escalation_case_teams c
                              WHERE c.family_id = f.family_id AND c.professional_id = $2::text)))
  OR $2 = ANY(e.involved)
  OR (e.holder_id IS NULL AND e.level = 1 AND 'procesregisseur' = ANY($4::text[]))
  OR (e.holder_id IS NULL AND e.level = 2 AND 'brandpuntfunctionaris' = ANY($4::text[]))
  OR $5 = ANY(e.directive_orgs)
  OR 'auditor' = ANY($4::text[]))`;

/** Reads escalations for one caller; access is decided in the query (404 for the rest). */
@Injectable()
export class EscalationViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
  ) {}

  /** Each row with the dossier mode of this viewer; rows they may see nothing of are dropped. */
  private async scoped<R extends Row>(rows: R[], user: AuthUser) {
    const families = await this.lens.families(
      [...new Set(rows.map((r) => r.document.familyId))],
      user,
    );
    const viewers = new Map<string, Viewer>(families.map((f) => [f.record.familyId, f.viewer]));
    return rows
      .map((row) => ({
        row,
        mode: dossierMode(row.document, viewers.get(row.document.familyId), user),
      }))
      .filter((r): r is { row: R; mode: Exclude<DossierMode, 'none'> } => r.mode !== 'none');
  }

  /** The SLT team lead gets how far and how long, nothing else. */
  private levelAndAge({ document: e }: Row) {
    const days = (this.clock.now().getTime() - Date.parse(e.raisedAt)) / DAY_MS;
    return {
      escalationId: e.escalationId,
      level: e.level,
      status: e.status,
      ageDays: Math.floor(days),
    };
  }

  async list(viewer: AuthUser, filters: EscalationFilters, accessPoint: AccessPoint) {
    const conditions = [ESCALATION_ACCESS_SQL];
    const params: unknown[] = [viewer.sub, viewer.teams, viewer.roles, viewer.organisation];
    // $1 is the limit, so the n-th parameter here is $(n + 1).
    const add = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length + 1}`));
    };
    if (filters.level !== undefined) add('e.level = ?', filters.level);
    if (filters.status) add('e.status = ?', filters.status);
    if (filters.familyId) add('e.family_id = ?', filters.familyId);
    if (filters.overdue !== undefined) {
      add(
        filters.overdue ? 'e.due_at < ?' : '(e.due_at IS NULL OR e.due_at >= ?)',
        this.clock.now(),
      );
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT e.document, e.history, e.due_at FROM escalation_views e
        WHERE ${conditions.join(' AND ')}
        ORDER BY e.raised_at DESC LIMIT $1`,
      [LIST_LIMIT, ...params],
    );
    const scoped = await this.scoped(rows, viewer);
    await this.accessLog.record({
      action: 'search',
      resource: 'escalations',
      familyId: filters.familyId ?? null,
      memberIds: [],
      user: viewer,
      accessPoint,
      purpose: viewer.roles.includes('auditor') ? 'audit' : 'care coordination',
      rule: 'escalation-list',
    });
    return scoped.map(({ row, mode }) =>
      mode === 'level-age' ? this.levelAndAge(row) : this.summary(row),
    );
  }

  /**
   * Open escalations waiting on this person: the ones they hold, the unheld ones of their
   * pool or their team (as team lead), and those with directives for their organisation.
   */
  async waitingOn(viewer: AuthUser) {
    const rows: Array<Row & { why: string }> = await this.dataSource.query(
      `SELECT e.document, e.history, e.due_at,
              CASE WHEN e.holder_id = $1 THEN 'holder'
                   WHEN $4 = ANY(e.directive_orgs) THEN 'directive'
                   WHEN e.holder_id IS NULL AND e.team_id::text = ANY($2::text[]) AND 'team_lead' = ANY($3::text[]) THEN 'team_lead'
                   ELSE 'pool' END AS why
         FROM escalation_views e
        WHERE e.status = 'open' AND (
              e.holder_id = $1
           OR $4 = ANY(e.directive_orgs)
           OR (e.holder_id IS NULL AND (
                (e.level = 1 AND 'procesregisseur' = ANY($3::text[]))
             OR (e.level = 2 AND 'brandpuntfunctionaris' = ANY($3::text[]))
             OR (e.team_id::text = ANY($2::text[]) AND 'team_lead' = ANY($3::text[])))))
        ORDER BY e.due_at NULLS LAST LIMIT $5`,
      [viewer.sub, viewer.teams, viewer.roles, viewer.organisation, LIST_LIMIT],
    );
    return (await this.scoped(rows, viewer)).map(({ row, mode }) => ({
      ...(mode === 'level-age' ? this.levelAndAge(row) : this.summary(row)),
      why: row.why,
    }));
  }

  async find(escalationId: string, viewer: AuthUser, accessPoint: AccessPoint) {
    const rows: Row[] = await this.dataSource.query(
      `SELECT e.document, e.history, e.due_at FROM escalation_views e
        WHERE e.escalation_id = $1 AND ${ESCALATION_ACCESS_SQL}`,
      [escalationId, viewer.sub, viewer.teams, viewer.roles, viewer.organisation],
    );
    const [found] = await this.scoped(rows, viewer);
    if (!found) return undefined;
    await this.accessLog.record({
      action: 'read',
      resource: 'escalation',
      familyId: found.row.document.familyId,
      memberIds: await this.lens.memberIds(found.row.document.familyId),
      user: viewer,
      accessPoint,
      purpose: viewer.roles.includes('auditor') ? 'audit' : 'escalation',
      rule: found.mode === 'full' ? 'dossier' : `dossier-${found.mode}`,
    });
    if (found.mode === 'level-age') return this.levelAndAge(found.row);
    const detail = await this.detail(found.row);
    return found.mode === 'full' ? detail : this.withoutTexts(detail, found.row.document, viewer);
  }

  /**
   * A summary: the steps, who and when, without what was written (unless the signal is shared
   * with the whole case team), and of a decision only the directives for the reader's own
   * organisation.
   */
  private withoutTexts(
    detail: Awaited<ReturnType<EscalationViewQuery['detail']>>,
    e: Escalation,
    viewer: AuthUser,
  ) {
    const {
      outcome: _o,
      withdrawalReason: _w,
      ...rest
    } = detail as typeof detail & {
      outcome?: unknown;
      withdrawalReason?: unknown;
    };
    const texts = summaryReadsTexts(e);
    const { description, ...signal } = detail.signal;
    return {
      ...rest,
      signal: texts ? { ...signal, description } : signal,
      history: detail.history.map(({ details: _d, ...entry }) => entry),
      decision: detail.decision && {
        maatwerk: detail.decision.maatwerk,
        decidedAt: detail.decision.decidedAt,
        directives: detail.decision.directives.map(({ description: text, ...d }) =>
          d.organisation === viewer.organisation ? { ...d, description: text } : d,
        ),
      },
    };
  }

  private summary({ document: e, due_at }: Row) {
    const dueAt = due_at ? new Date(due_at).toISOString() : null;
    return {
      escalationId: e.escalationId,
      familyId: e.familyId,
      level: e.level,
      status: e.status,
      holder: e.holder,
      dueAt,
      overdue: dueAt !== null && dueAt < this.clock.now().toISOString(),
      category: e.category,
      automatic: e.automatic,
      raisedAt: e.raisedAt,
    };
  }

  private async detail(row: Row) {
    const e = row.document;
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const decision = e.decision && {
      solution: await this.vault.openText(e.decision.solution),
      maatwerk: e.decision.maatwerk,
      justification: await this.vault.openText(e.decision.justification),
      budgetEuros: e.decision.budgetEuros,
      decidedAt: e.decision.decidedAt,
      directives: await Promise.all(
        e.decision.directives.map(async (d) => ({
          directiveId: d.directiveId,
          organisation: d.organisation,
          description: await this.vault.openText(d.description),
          dueDate: d.dueDate,
          status: d.status,
          completedAt: d.completedAt,
          overdue: d.status === 'open' && (d.overdue || d.dueDate < today),
        })),
      ),
    };
    return {
      ...this.summary(row),
      signal: {
        signalId: e.signalId,
        category: e.category,
        description: await this.vault.openText(e.description),
        automatic: e.automatic,
        cause: e.cause,
        raisedBy: e.raisedBy,
        raisedAt: e.raisedAt,
      },
      deadlines: e.deadlines,
      respondedAt: e.respondedAt,
      history: await Promise.all(row.history.map((h) => this.openHistory(h))),
      timeInLevels: e.periods.map((p) => {
        const until = p.leftAt ? Date.parse(p.leftAt) : now.getTime();
        return { ...p, days: Math.round(((until - Date.parse(p.enteredAt)) / DAY_MS) * 100) / 100 };
      }),
      decision,
      closedAt: e.closedAt,
      [e.status === 'withdrawn' ? 'withdrawalReason' : 'outcome']: e.closingText
        ? await this.vault.openText(e.closingText)
        : null,
      reopened: e.reopened,
    };
  }

  /**
   * A step's details are taken from its event's data (escalation.projection.ts), so the fields
   * that event type declares sealed are the ones to open.
   */
  private async openHistory(entry: HistoryEntry): Promise<HistoryEntry> {
    const sealed = sealedFieldsOf(`escalation.${entry.event}`, entry.details);
    const details = Object.fromEntries(
      await Promise.all(
        Object.entries(entry.details).map(async ([key, value]) => [
          key,
          sealed.includes(key) ? await this.vault.openText(value as string | null) : value,
        ]),
      ),
    );
    return { ...entry, details };
  }
}
