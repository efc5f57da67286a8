import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { notFound } from '#libs/http/problem-details.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyStates } from '../families/family-states.js';
import { concernViewerOf, isIntake, type ConcernViewer } from './concern-access.js';
import type { Concern } from './concern.evolve.js';
import type { ConcernSubject } from './concern.model.js';
import type { ConcernHistoryEntry } from './concern.projection.js';
import { concernMatches } from './concern-matches.js';

interface ViewRow {
  concern_id: string;
  document: Concern;
  history: ConcernHistoryEntry[];
  regie_id: string | null;
  regie_name: string | null;
  regie_organisation: string | null;
}

const VIEW_SQL = `SELECT v.concern_id, v.document, v.history, r.professional_id AS regie_id,
    r.name AS regie_name, r.organisation AS regie_organisation
  FROM concern_views v LEFT JOIN concern_family_regie r ON r.family_id = v.family_id`;

/** The reporter's contact: the family's casusregisseur once there is one, else intake's. */
function contactOf(row: ViewRow) {
  if (row.regie_id) return { name: row.regie_name!, organisation: row.regie_organisation! };
  const { contact } = row.document;
  return contact ? { name: contact.name, organisation: contact.organisation } : null;
}

/**
 * Concerns as each reader may see them (concern-access.ts), filtered in the query: a reporter
 * their own, intake their team's queue, one concern by its widest view for the reader. Every
 * read is in the access log.
 */
@Injectable()
export class ConcernViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FamilyStates) private readonly families: FamilyStates,
  ) {}

  /** What a reporter filed, with who their contact is and which other organisations worry too. */
  async mine(user: AuthUser, accessPoint: AccessPoint) {
    const rows: ViewRow[] = await this.dataSource.query(
      `${VIEW_SQL} WHERE v.reporter_id = $1 AND v.status <> 'destroyed'
        ORDER BY v.received_at DESC, v.concern_id`,
      [user.sub],
    );
    const matched = await this.otherOrganisations(rows.map((r) => r.concern_id));
    await this.log(user, accessPoint, 'search', null, 'concerns of their reporter', 'reporter');
    return {
      items: rows.map((row) => {
        const c = row.document;
        return {
          concernId: c.concernId,
          receivedAt: c.receivedAt,
          category: c.category,
          urgency: c.urgency,
          status: c.status,
          contact: contactOf(row),
          matchedOrganisations: matched.get(c.concernId) ?? [],
        };
      }),
    };
  }

  /** Intake's queue of one team; 404 for anyone who is not its intake. */
  async queue(
    teamId: string,
    user: AuthUser,
    accessPoint: AccessPoint,
    filter: { status?: string; overdue?: boolean },
  ) {
    if (!isIntake(user, teamId)) throw notFound('No team with this id');
    const rows: ViewRow[] = await this.dataSource.query(
      `${VIEW_SQL} WHERE v.team_id = $1 AND v.status <> 'destroyed'
         AND ($2::text IS NULL OR v.status = $2)
       ORDER BY v.received_at, v.concern_id`,
      [teamId, filter.status ?? null],
    );
    const now = this.clock.now();
    const matches = await concernMatches(
      this.dataSource,
      rows.map((r) => r.document),
    );
    await this.log(user, accessPoint, 'search', null, `intake queue of team ${teamId}`, 'intake');
    return {
      items: rows
        .map(({ document: c }) => {
          const dueAt = c.status === 'received' ? c.triageDueAt : null;
          return {
            concernId: c.concernId,
            receivedAt: c.receivedAt,
            category: c.category,
            urgency: c.urgency,
            status: c.status,
            dueAt,
            overdue: dueAt !== null && Date.parse(dueAt) <= now.getTime(),
            match: matches.get(c.concernId) ?? null,
          };
        })
        .filter((item) => filter.overdue === undefined || item.overdue === filter.overdue),
    };
  }

  async one(concernId: string, user: AuthUser, accessPoint: AccessPoint) {
    const [row]: ViewRow[] = await this.dataSource.query(
      `${VIEW_SQL} WHERE v.concern_id = $1 AND v.status <> 'destroyed'`,
      [concernId],
    );
    if (!row) throw notFound('No such concern');
    const c = row.document;
    const family = c.familyId ? await this.families.find(c.familyId) : undefined;
    const viewer = concernViewerOf(user, {
      teamId: c.teamId,
      reporterId: c.reporter.professionalId,
      casusregisseurId: row.regie_id,
      caseTeamIds: family?.caseTeam.map((p) => p.professionalId) ?? [],
    });
    if (!viewer) throw notFound('No such concern');
    // Whose data was shown: the member once known, and always the concern's own subject (its
    // key's id), so that reads before a link are traced too.
    const memberIds = [concernId, ...(c.memberId ? [c.memberId] : [])];
    await this.log(
      user,
      accessPoint,
      'read',
      c.familyId,
      `concern ${concernId}`,
      viewer,
      memberIds,
    );
    return this.render(row, viewer);
  }

  private async render(row: ViewRow, viewer: ConcernViewer) {
    const c = row.document;
    const basics = { concernId: c.concernId, receivedAt: c.receivedAt, category: c.category };
    if (viewer === 'case_team') return basics;
    const sent = {
      ...basics,
      reporter: { name: c.reporter.name, organisation: c.reporter.organisation },
      subject: await this.open<ConcernSubject>(c.subject),
      urgency: c.urgency,
      description: await this.vault.openText(c.description),
      onBehalfOf: await this.vault.openText(c.onBehalfOf),
      status: c.status,
    };
    if (viewer === 'reporter') return { ...sent, contact: contactOf(row) };
    const [match] = (await concernMatches(this.dataSource, [c])).values();
    return {
      ...sent,
      match: match ?? null,
      familyId: c.familyId,
      contact: contactOf(row),
      dueAt: c.status === 'received' ? c.triageDueAt : null,
      contactAttempts: await Promise.all(
        c.attempts.map(async (a) => ({
          attemptId: a.attemptId,
          kind: a.kind,
          outcome: a.outcome,
          note: await this.vault.openText(a.note),
          at: a.at,
          by: { name: a.by.name, organisation: a.by.organisation },
        })),
      ),
      history: row.history,
    };
  }

  private async open<T>(sealed: string | null): Promise<T | null> {
    if (sealed === null) return null;
    const value = await this.vault.open<T>(sealed);
    return isErased(value) ? null : value;
  }

  /** Per concern, the other organisations that filed about the same person (never what). */
  private async otherOrganisations(concernIds: string[]): Promise<Map<string, string[]>> {
    if (concernIds.length === 0) return new Map();
    const rows: Array<{ concern_id: string; organisations: string[] }> =
      await this.dataSource.query(
        `SELECT mine.concern_id, array_agg(DISTINCT theirs.reporter_organisation
             ORDER BY theirs.reporter_organisation) AS organisations
           FROM concern_subject_digests mine
           JOIN concern_views me ON me.concern_id = mine.concern_id
           JOIN concern_subject_digests other
             ON other.digest = mine.digest AND other.kind = mine.kind
            AND other.concern_id <> mine.concern_id
           JOIN concern_views theirs ON theirs.concern_id = other.concern_id
          WHERE mine.concern_id = ANY($1::uuid[]) AND mine.kind <> 'address'
            AND theirs.reporter_organisation <> me.reporter_organisation
            AND theirs.status <> 'destroyed'
          GROUP BY mine.concern_id`,
        [concernIds],
      );
    return new Map(rows.map((r) => [r.concern_id, r.organisations]));
  }

  private log(
    user: AuthUser,
    accessPoint: AccessPoint,
    action: 'read' | 'search',
    familyId: string | null,
    purpose: string,
    rule: string,
    memberIds: string[] = [],
  ) {
    return this.accessLog.record({
      action,
      resource: 'concern',
      familyId,
      memberIds,
      user,
      accessPoint,
      purpose,
      rule,
    });
  }
}
