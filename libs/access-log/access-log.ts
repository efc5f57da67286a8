import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DomainConflict, DomainNotFound } from '../aggregates/domain-errors.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { Clock } from '../clock/index.js';
import type { AccessPoint } from './access-point.decorator.js';
import { GroupCommit } from './group-commit.js';

export type AccessAction = 'read' | 'search' | 'export' | 'reveal';
export type DisputeStatus = 'open' | 'upheld' | 'rejected';

/** One access to personal data, as the code that performed it reports it. */
export interface AccessRecord {
  action: AccessAction;
  /** What was accessed: 'family', 'plan', 'plan-version', 'escalation', 'history', 'bsn', ... */
  resource: string;
  /** The dossier; null only for a search across families. */
  familyId: string | null;
  /** The clients whose data was shown; empty only for a search. */
  memberIds: readonly string[];
  user: AuthUser;
  onBehalfOf?: string;
  accessPoint: AccessPoint;
  /** Purpose or legal basis. */
  purpose: string;
  /** The authorisation or consent rule that allowed it: 'case_team', 'consent:<id>', ... */
  rule: string;
  breakTheGlass?: boolean;
}

export interface AccessLogEntry {
  entryId: string;
  at: string;
  action: AccessAction;
  resource: string;
  familyId: string | null;
  memberIds: string[];
  userId: string;
  userName: string;
  organisation: string;
  roles: string[];
  onBehalfOf: string | null;
  accessPoint: Omit<AccessPoint, 'correlationId'>;
  purpose: string;
  rule: string;
  breakTheGlass: boolean;
  correlationId: string;
}

export interface AccessLogDispute {
  disputeId: string;
  entryId: string;
  memberId: string;
  reason: string;
  status: DisputeStatus;
  resolution: string | null;
  resolvedBy: string | null;
  createdAt: string;
  resolvedAt: string | null;
  entry: AccessLogEntry;
}

export interface AccessLogPage {
  /** At most this many entries (default 100, at most 1000). */
  limit?: number;
  /** An entryId: only entries logged before it (the next page of a newest-first list). */
  before?: string;
}

/** A record the code tried to write without what NEN 7513 demands: a bug, never silent. */
export class InvalidAccessRecord extends Error {}

/** No such entry, or it does not name this member: the two are not told apart (HTTP 404). */
export class AccessLogEntryNotFound extends DomainNotFound {
  constructor(entryId: string) {
    super(`No access-log entry ${entryId} about this member`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIONS: readonly string[] = ['read', 'search', 'export', 'reveal'];

const ENTRY_COLUMNS = `l.entry_id, l.at, l.action, l.resource, l.family_id, l.member_ids, l.user_id,
  l.user_name, l.organisation, l.roles, l.on_behalf_of, l.access_point, l.purpose, l.rule,
  l.break_the_glass, l.correlation_id`;

interface EntryRow {
  entry_id: string;
  at: Date;
  action: AccessAction;
  resource: string;
  family_id: string | null;
  member_ids: string[];
  user_id: string;
  user_name: string;
  organisation: string;
  roles: string[];
  on_behalf_of: string | null;
  access_point: AccessLogEntry['accessPoint'];
  purpose: string;
  rule: string;
  break_the_glass: boolean;
  correlation_id: string;
}

interface DisputeRow extends EntryRow {
  dispute_id: string;
  member_id: string;
  reason: string;
  status: DisputeStatus;
  resolution: string | null;
  resolved_by: string | null;
  created_at: Date;
  resolved_at: Date | null;
}

const toEntry = (r: EntryRow): AccessLogEntry => ({
  entryId: r.entry_id,
  at: new Date(r.at).toISOString(),
  action: r.action,
  resource: r.resource,
  familyId: r.family_id,
  memberIds: r.member_ids,
  userId: r.user_id,
  userName: r.user_name,
  organisation: r.organisation,
  roles: r.roles,
  onBehalfOf: r.on_behalf_of,
  accessPoint: r.access_point,
  purpose: r.purpose,
  rule: r.rule,
  breakTheGlass: r.break_the_glass,
  correlationId: r.correlation_id,
});

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

function validate(record: AccessRecord): void {
  const required = { resource: record.resource, purpose: record.purpose, rule: record.rule };
  const missing = Object.entries({ ...required, user: record.user?.sub })
    .filter(([, value]) => blank(value))
    .map(([name]) => name);
  if (missing.length > 0)
    throw new InvalidAccessRecord(`An access to personal data needs ${missing.join(', ')}`);
  if (!ACTIONS.includes(record.action))
    throw new InvalidAccessRecord(`Unknown access action ${record.action}`);
  if (record.action !== 'search' && record.memberIds.length === 0)
    throw new InvalidAccessRecord(`A ${record.action} must name the members whose data it showed`);
  // What the database alone would refuse is refused here, for this caller only: in a group, a
  // row the INSERT refuses fails every caller of the group with it.
  const ids = [...record.memberIds, ...(record.familyId === null ? [] : [record.familyId])];
  if (!ids.every((id) => typeof id === 'string' && UUID.test(id)))
    throw new InvalidAccessRecord('A family or member id in an access record is not a UUID');
  if (typeof record.user.name !== 'string' || typeof record.user.organisation !== 'string')
    throw new InvalidAccessRecord(
      'An access to personal data needs the user name and organisation',
    );
  if (typeof record.accessPoint?.correlationId !== 'string')
    throw new InvalidAccessRecord('An access to personal data needs its correlation id');
}

/** PostgreSQL refuses NUL in text and jsonb (22P05): the whole group's INSERT would fail. */
function refuseNul(row: Record<string, unknown>): void {
  const strings = Object.values(row).flatMap((v) =>
    Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : [v],
  );
  if (strings.some((v) => typeof v === 'string' && v.includes('\u0000')))
    throw new InvalidAccessRecord('An access record must not contain NUL characters');
}

/** Rows per group commit: a few hundred keep the one jsonb parameter small and one flush short. */
export const MAX_GROUP_ROWS = 500;

export interface AccessLogOptions {
  /** A group takes further callers only while it stays within this many rows. */
  readonly maxGroupRows?: number;
}

/**
 * The NEN 7513 access log: who read, searched, exported or revealed whose personal data, when,
 * why and under which rule. Rows are only ever inserted (the database refuses anything else).
 * Reading the log is itself an access: callers record it with resource 'access-log'.
 * Order is the insertion sequence, not `at`: the domain clock can be moved in development.
 *
 * Records of concurrent requests are committed together (group-commit.ts): one INSERT, one
 * transaction and one pooled connection per group instead of per request, and each caller's
 * promise settles only once its own rows are committed, or with the error that kept them out.
 */
export class AccessLog {
  private readonly groups: GroupCommit;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    { maxGroupRows = MAX_GROUP_ROWS }: AccessLogOptions = {},
  ) {
    this.groups = new GroupCommit((rows) => this.insert(rows), maxGroupRows);
  }

  async record(entry: AccessRecord): Promise<string> {
    const [entryId] = await this.recordMany([entry]);
    return entryId!;
  }

  /**
   * All in one transaction, so a list view logs its rows together or not at all; possibly with
   * other callers' rows, never split. An invalid record fails only its own caller, before it
   * joins a group.
   */
  async recordMany(entries: readonly AccessRecord[]): Promise<string[]> {
    entries.forEach(validate);
    if (entries.length === 0) return [];
    // The time of the access, not of the group's flush.
    const at = this.clock.now().toISOString();
    const rows = entries.map((e) => ({
      entry_id: randomUUID(),
      at,
      action: e.action,
      resource: e.resource,
      family_id: e.familyId,
      member_ids: e.memberIds,
      user_id: e.user.sub,
      // A citizen's own name stays out of the log (erasure could not reach it there).
      user_name: e.user.roles.includes('citizen') ? 'citizen' : e.user.name,
      organisation: e.user.organisation,
      roles: e.user.roles,
      on_behalf_of: e.onBehalfOf ?? null,
      access_point: {
        ip: e.accessPoint.ip,
        userAgent: e.accessPoint.userAgent,
        client: e.accessPoint.client,
      },
      purpose: e.purpose,
      rule: e.rule,
      break_the_glass: e.breakTheGlass ?? false,
      correlation_id: e.accessPoint.correlationId,
    }));
    rows.forEach(refuseNul);
    await this.groups.submit(rows.map((r) => JSON.stringify(r)));
    return rows.map((r) => r.entry_id);
  }

  /** Writes what is still waiting, then takes no more records: before the pool is closed. */
  async close(): Promise<void> {
    await this.groups.close();
  }

  /**
   * One group: one statement in autocommit, so one transaction. One jsonb parameter instead of
   * 16 per row: no placeholder limit, arrays of any length. The function yields the rows in array
   * order, so seq keeps the order of the group (its callers' order of arrival).
   */
  private async insert(jsonArray: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO access_log (entry_id, at, action, resource, family_id, member_ids, user_id,
         user_name, organisation, roles, on_behalf_of, access_point, purpose, rule,
         break_the_glass, correlation_id)
       SELECT entry_id, at, action, resource, family_id, member_ids, user_id, user_name,
              organisation, roles, on_behalf_of, access_point, purpose, rule, break_the_glass,
              correlation_id
         FROM jsonb_to_recordset($1::jsonb) AS r(entry_id uuid, at timestamptz, action text,
              resource text, family_id uuid, member_ids uuid[], user_id text, user_name text,
              organisation text, roles text[], on_behalf_of text, access_point jsonb,
              purpose text, rule text, break_the_glass boolean, correlation_id text)`,
      [jsonArray],
    );
  }

  /** Newest first. */
  async forFamily(familyId: string, options: AccessLogPage = {}): Promise<AccessLogEntry[]> {
    if (!UUID.test(familyId)) return [];
    return this.page('l.family_id = $1', familyId, options);
  }

  /** Entries that name this member, newest first: what a citizen sees of their own data. */
  async forMember(memberId: string, options: AccessLogPage = {}): Promise<AccessLogEntry[]> {
    if (!UUID.test(memberId)) return [];
    return this.page('l.member_ids @> ARRAY[$1::uuid]', memberId, options);
  }

  async entry(entryId: string): Promise<AccessLogEntry | undefined> {
    if (!UUID.test(entryId)) return undefined;
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM access_log l WHERE l.entry_id = $1`,
      [entryId],
    );
    return rows[0] && toEntry(rows[0]);
  }

  /** A member disputes an entry that names them; any other entry is "not found". */
  async dispute(entryId: string, memberId: string, reason: string): Promise<{ disputeId: string }> {
    if (blank(reason)) throw new InvalidAccessRecord('A dispute needs a reason');
    if (!UUID.test(entryId) || !UUID.test(memberId)) throw new AccessLogEntryNotFound(entryId);
    const disputeId = randomUUID();
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO access_log_disputes (dispute_id, entry_id, member_id, reason, created_at)
       SELECT $1, l.entry_id, $3, $4, $5 FROM access_log l
        WHERE l.entry_id = $2 AND l.member_ids @> ARRAY[$3::uuid]
       RETURNING dispute_id`,
      [disputeId, entryId, memberId, reason, this.clock.now().toISOString()],
    );
    if (rows.length === 0) throw new AccessLogEntryNotFound(entryId);
    return { disputeId };
  }

  /** Oldest first, for the privacy officer's queue. */
  async disputes(filter: { status?: DisputeStatus } = {}): Promise<AccessLogDispute[]> {
    const rows: DisputeRow[] = await this.dataSource.query(
      `SELECT d.dispute_id, d.member_id, d.reason, d.status, d.resolution, d.resolved_by,
              d.created_at, d.resolved_at, ${ENTRY_COLUMNS}
         FROM access_log_disputes d JOIN access_log l USING (entry_id)
        WHERE $1::text IS NULL OR d.status = $1
        ORDER BY d.created_at, d.dispute_id`,
      [filter.status ?? null],
    );
    return rows.map((r) => ({
      disputeId: r.dispute_id,
      entryId: r.entry_id,
      memberId: r.member_id,
      reason: r.reason,
      status: r.status,
      resolution: r.resolution,
      resolvedBy: r.resolved_by,
      createdAt: new Date(r.created_at).toISOString(),
      resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
      entry: toEntry(r),
    }));
  }

  /** Open -> upheld or rejected, once: a decision about a dispute is not silently re-made. */
  async resolveDispute(
    disputeId: string,
    resolution: { upheld: boolean; text: string; by: string },
  ): Promise<void> {
    if (blank(resolution.text) || blank(resolution.by))
      throw new InvalidAccessRecord('A resolution needs a text and who resolved it');
    if (!UUID.test(disputeId)) throw new DomainNotFound(`No dispute ${disputeId}`);
    // In a CTE because TypeORM answers a bare UPDATE with [rows, count], not rows.
    const [row]: Array<{ resolved: boolean }> = await this.dataSource.query(
      `WITH resolved AS (
         UPDATE access_log_disputes
            SET status = $2, resolution = $3, resolved_by = $4, resolved_at = $5
          WHERE dispute_id = $1 AND status = 'open'
         RETURNING dispute_id)
       SELECT EXISTS (SELECT 1 FROM resolved) AS resolved
         FROM access_log_disputes WHERE dispute_id = $1`,
      [
        disputeId,
        resolution.upheld ? 'upheld' : 'rejected',
        resolution.text,
        resolution.by,
        this.clock.now().toISOString(),
      ],
    );
    if (!row) throw new DomainNotFound(`No dispute ${disputeId}`);
    if (!row.resolved) throw new DomainConflict(`Dispute ${disputeId} was already resolved`);
  }

  private async page(
    where: string,
    key: string,
    { limit = 100, before }: AccessLogPage,
  ): Promise<AccessLogEntry[]> {
    if (before !== undefined && !UUID.test(before)) return [];
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM access_log l
        WHERE ${where}
          AND ($2::uuid IS NULL OR l.seq < (SELECT seq FROM access_log WHERE entry_id = $2))
        ORDER BY l.seq DESC LIMIT $3`,
      [key, before ?? null, Math.min(Math.max(Math.trunc(limit) || 1, 1), 1000)],
    );
    return rows.map(toEntry);
  }
}
