import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { isErased, PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { FAMILY_ACCESS_SQL } from '../families/family-access.js';
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
const SEALED = /^pd1:/;

/**
 * Who may see an escalation (alias e; $2 sub, $3 teams, $4 roles, $5 organisation): the
 * family's professionals, everyone who held a level of it, the pool of its current level,
 * and the organisations a decision gave directives to. The same rule as EscalationAccess.
 */
export const ESCALATION_ACCESS_SQL = `(
  EXISTS (SELECT 1 FROM family_views f WHERE f.family_id = e.family_id AND ${FAMILY_ACCESS_SQL})
  OR $2 = ANY(e.involved)
  OR (e.level = 1 AND 'procesregisseur' = ANY($4::text[]))
  OR (e.level = 2 AND 'brandpuntfunctionaris' = ANY($4::text[]))
  OR $5 = ANY(e.directive_orgs))`;

/** Reads escalations for one caller; access is decided in the query (404 for the rest). */
@Injectable()
export class EscalationViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(viewer: AuthUser, filters: EscalationFilters) {
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
    return rows.map((row) => this.summary(row));
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
    return rows.map((row) => ({ ...this.summary(row), why: row.why }));
  }

  async find(escalationId: string, viewer: AuthUser) {
    const rows: Row[] = await this.dataSource.query(
      `SELECT e.document, e.history, e.due_at FROM escalation_views e
        WHERE e.escalation_id = $1 AND ${ESCALATION_ACCESS_SQL}`,
      [escalationId, viewer.sub, viewer.teams, viewer.roles, viewer.organisation],
    );
    return rows[0] ? this.detail(rows[0]) : undefined;
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
      solution: await this.open(e.decision.solution),
      maatwerk: e.decision.maatwerk,
      justification: await this.open(e.decision.justification),
      budgetEuros: e.decision.budgetEuros,
      decidedAt: e.decision.decidedAt,
      directives: await Promise.all(
        e.decision.directives.map(async (d) => ({
          directiveId: d.directiveId,
          organisation: d.organisation,
          description: await this.open(d.description),
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
        description: await this.open(e.description),
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
        ? await this.open(e.closingText)
        : null,
      reopened: e.reopened,
    };
  }

  private async openHistory(entry: HistoryEntry): Promise<HistoryEntry> {
    const details = Object.fromEntries(
      await Promise.all(
        Object.entries(entry.details).map(async ([key, value]) => [
          key,
          typeof value === 'string' && SEALED.test(value) ? await this.open(value) : value,
        ]),
      ),
    );
    return { ...entry, details };
  }

  private async open(sealed: string): Promise<string | null> {
    const text = await this.vault.open<string>(sealed);
    return isErased(text) ? null : text;
  }
}
