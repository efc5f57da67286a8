import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { DomainConflict } from '../aggregates/domain-errors.js';
import { AdjustableClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import {
  AccessLog,
  AccessLogEntryNotFound,
  InvalidAccessRecord,
  type AccessRecord,
} from './access-log.js';
import { familyRead } from './testing/access-record-fixtures.js';

const APPEND_ONLY = 'access_log is append-only (NEN 7513)';

/** A read by Sanne of one family; each test uses fresh ids, so tests share the (append-only) table. */
const read = (familyId: string, memberIds: string[], over: Partial<AccessRecord> = {}) =>
  familyRead('req-1', {
    familyId,
    memberIds,
    onBehalfOf: 'u-teamlead',
    breakTheGlass: false,
    ...over,
  });

describe('access log (NEN 7513)', () => {
  let dataSource: DataSource;
  let clock: AdjustableClock;
  let log: AccessLog;

  beforeAll(async () => {
    const url = await createTestDatabase('access_log');
    dataSource = await openDataSource(url, []);
    clock = new AdjustableClock(new Date('2030-01-01T09:00:00Z'));
    log = new AccessLog(dataSource, clock);
  });
  afterAll(async () => dataSource?.destroy());

  const rowsOf = (entryIds: string[]): Promise<Record<string, unknown>[]> =>
    dataSource.query('SELECT * FROM access_log WHERE entry_id = ANY($1::uuid[]) ORDER BY seq', [
      entryIds,
    ]);
  const count = async () =>
    Number((await dataSource.query('SELECT count(*) AS n FROM access_log'))[0].n);

  it('Given a set of reads, Then there is one record per read with every field filled', async () => {
    const familyId = randomUUID();
    const [paulien, noah] = [randomUUID(), randomUUID()];
    const reads = [
      read(familyId, [paulien, noah]),
      read(familyId, [noah], { action: 'reveal', resource: 'bsn', breakTheGlass: true }),
      read(familyId, [paulien], { action: 'export', resource: 'plan', rule: 'consent:c-1' }),
    ];
    const ids: string[] = [];
    const start = clock.now();
    for (const r of reads) ids.push(await log.record(r));
    const end = clock.now();

    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row))
        expect([column, value]).not.toEqual([column, null]);
      const r = reads[i]!;
      // The domain clock's time (2030), not the database's or the system's.
      expect((row.at as Date).getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect((row.at as Date).getTime()).toBeLessThanOrEqual(end.getTime());
      expect(row).toEqual({
        entry_id: ids[i],
        seq: expect.any(String),
        at: expect.any(Date),
        action: r.action,
        resource: r.resource,
        family_id: familyId,
        member_ids: r.memberIds,
        user_id: 'u-sanne',
        user_name: 'Sanne de Vries',
        organisation: 'SLT Haven',
        roles: ['professional'],
        on_behalf_of: 'u-teamlead',
        access_point: { ip: '10.0.0.7', userAgent: 'jest', client: 'web-app' },
        purpose: r.purpose,
        rule: r.rule,
        break_the_glass: r.breakTheGlass,
        correlation_id: 'req-1',
      });
    });
    expect(await log.entry(ids[1]!)).toMatchObject({
      entryId: ids[1],
      at: expect.stringMatching(/^2030-01-01T09:00/),
      action: 'reveal',
      resource: 'bsn',
      memberIds: [noah],
      breakTheGlass: true,
      onBehalfOf: 'u-teamlead',
      correlationId: 'req-1',
    });
  });

  it('records a list view with one statement, one row per record, defaults filled', async () => {
    const familyId = randomUUID();
    const member = randomUUID();
    const { onBehalfOf: _o, breakTheGlass: _b, ...bare } = read(familyId, [member]);
    const ids = await log.recordMany([
      bare,
      { ...bare, action: 'search', familyId: null, memberIds: [], resource: 'family' },
    ]);
    expect(ids).toHaveLength(2);
    const entries = await Promise.all(ids.map((id) => log.entry(id)));
    expect(entries.map((e) => [e?.onBehalfOf, e?.breakTheGlass, e?.familyId])).toEqual([
      [null, false, familyId],
      [null, false, null],
    ]);
    expect(await log.recordMany([])).toEqual([]);
  });

  it('lists a family and a member newest first; a member sees only entries naming them', async () => {
    const [family, other] = [randomUUID(), randomUUID()];
    const [paulien, noah] = [randomUUID(), randomUUID()];
    const first = await log.record(read(family, [paulien, noah]));
    clock.advanceDays(1);
    const second = await log.record(read(family, [noah]));
    const elsewhere = await log.record(read(other, [paulien]));
    const third = await log.record(read(family, [paulien]));

    const ids = (entries: { entryId: string }[]) => entries.map((e) => e.entryId);
    expect(ids(await log.forFamily(family))).toEqual([third, second, first]);
    expect(ids(await log.forFamily(family, { limit: 2 }))).toEqual([third, second]);
    expect(ids(await log.forFamily(family, { before: second }))).toEqual([first]);
    expect(ids(await log.forMember(paulien))).toEqual([third, elsewhere, first]);
    expect(ids(await log.forMember(noah))).toEqual([second, first]);
    expect(await log.forMember(randomUUID())).toEqual([]);
    expect(await log.forFamily('not-a-uuid')).toEqual([]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database, and the row stays as it was', async () => {
    const entryId = await log.record(read(randomUUID(), [randomUUID()]));
    const before = await rowsOf([entryId]);
    const total = await count();

    await expect(
      dataSource.query(`UPDATE access_log SET purpose = 'x' WHERE entry_id = $1`, [entryId]),
    ).rejects.toThrow(APPEND_ONLY);
    await expect(dataSource.query(`UPDATE access_log SET purpose = 'x'`)).rejects.toThrow(
      APPEND_ONLY,
    );
    await expect(dataSource.query('DELETE FROM access_log')).rejects.toThrow(APPEND_ONLY);
    await expect(dataSource.query('TRUNCATE access_log CASCADE')).rejects.toThrow(APPEND_ONLY);

    expect(await rowsOf([entryId])).toEqual(before);
    expect(await count()).toBe(total);
  });

  it('refuses an unknown action and an empty purpose in the database too', async () => {
    const insert = (action: string, purpose: string) =>
      dataSource.query(
        `INSERT INTO access_log (entry_id, at, action, resource, family_id, member_ids, user_id,
           user_name, organisation, roles, access_point, purpose, rule, correlation_id)
         VALUES ($1, now(), $2, 'family', $3, ARRAY[$3::uuid], 'u', 'U', 'O', '{}', '{}', $4,
           'case_team', 'c')`,
        [randomUUID(), action, randomUUID(), purpose],
      );
    await expect(insert('peek', 'zorg')).rejects.toThrow(/access_log_action_check/);
    await expect(insert('read', ' ')).rejects.toThrow(/access_log_purpose_check/);
    await expect(insert('read', 'zorg')).resolves.toBeDefined();
  });

  it('throws on a record without purpose, rule or members, and writes nothing', async () => {
    const familyId = randomUUID();
    const total = await count();
    await expect(log.record(read(familyId, [randomUUID()], { purpose: '' }))).rejects.toThrow(
      InvalidAccessRecord,
    );
    await expect(log.record(read(familyId, [randomUUID()], { rule: '  ' }))).rejects.toThrow(
      /needs rule/,
    );
    await expect(log.record(read(familyId, []))).rejects.toThrow(/must name the members/);
    // One bad record in a batch: none of the batch is written.
    await expect(
      log.recordMany([
        read(familyId, [randomUUID()]),
        read(familyId, [randomUUID()], { purpose: '' }),
      ]),
    ).rejects.toThrow(/needs purpose/);
    expect(await count()).toBe(total);
    expect(await log.forFamily(familyId)).toEqual([]);
  });

  it('lets a member named in an entry dispute it, once resolved it stays resolved', async () => {
    const [paulien, stranger] = [randomUUID(), randomUUID()];
    const entryId = await log.record(read(randomUUID(), [paulien]));

    await expect(log.dispute(entryId, stranger, 'not me')).rejects.toThrow(AccessLogEntryNotFound);
    await expect(log.dispute(randomUUID(), paulien, 'x')).rejects.toThrow(AccessLogEntryNotFound);
    const { disputeId } = await log.dispute(entryId, paulien, 'I never met this person');

    const open = await log.disputes({ status: 'open' });
    expect(open.find((d) => d.disputeId === disputeId)).toMatchObject({
      entryId,
      memberId: paulien,
      reason: 'I never met this person',
      status: 'open',
      resolution: null,
      resolvedBy: null,
      resolvedAt: null,
      entry: { entryId, memberIds: [paulien] },
    });

    const resolution = { upheld: true, text: 'access was unjustified', by: 'u-privacy' };
    await log.resolveDispute(disputeId, resolution);
    await expect(log.resolveDispute(disputeId, { ...resolution, upheld: false })).rejects.toThrow(
      DomainConflict,
    );
    const [upheld] = (await log.disputes({ status: 'upheld' })).filter(
      (d) => d.disputeId === disputeId,
    );
    expect(upheld).toMatchObject({ status: 'upheld', resolvedBy: 'u-privacy' });
    expect(upheld?.resolvedAt).toEqual(expect.any(String));
    expect((await log.disputes({ status: 'open' })).map((d) => d.disputeId)).not.toContain(
      disputeId,
    );
  });
});
