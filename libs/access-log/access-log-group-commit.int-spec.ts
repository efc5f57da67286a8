import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { connect, createTestDatabase } from '../../test/support/test-database.js';
import { eventually } from '../../test/support/load.js';
import { AdjustableClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import { toProblem } from '../http/problem-details.js';
import { AccessLog, InvalidAccessRecord, type AccessRecord } from './access-log.js';
import { GroupCommitClosed } from './group-commit.js';
import { familyRead as read } from './testing/access-record-fixtures.js';

const LOCK_TIMEOUT_MS = 300;

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('access log group commit', () => {
  let url: string;
  let dataSource: DataSource;
  let clock: AdjustableClock;
  let log: AccessLog;

  beforeAll(async () => {
    url = await createTestDatabase('access_log_groups');
    dataSource = await openDataSource(url, []);
    clock = new AdjustableClock(new Date('2030-01-01T09:00:00Z'));
    log = new AccessLog(dataSource, clock);
  });
  afterAll(async () => dataSource?.destroy());

  interface Row {
    entry_id: string;
    correlation_id: string;
    tx: string;
  }
  /** The rows of these entries, with the transaction that inserted each (xmin). */
  const rowsOf = (entryIds: string[]): Promise<Row[]> =>
    dataSource.query(
      `SELECT entry_id, correlation_id, xmin::text AS tx FROM access_log
        WHERE entry_id = ANY($1::uuid[]) ORDER BY seq`,
      [entryIds],
    );
  const byCorrelation = (prefix: string): Promise<Row[]> =>
    dataSource.query(
      `SELECT entry_id, correlation_id, xmin::text AS tx FROM access_log
        WHERE starts_with(correlation_id, $1)`,
      [prefix],
    );
  const transactions = (rows: Row[]) => new Set(rows.map((r) => r.tx));

  it('commits concurrent records in fewer transactions than records, each exactly once', async () => {
    const run = randomUUID();
    const calls: Array<Promise<string>> = [];
    // Arrivals spread over several turns of the event loop, as requests arrive: later ones
    // find a flush in flight and wait for the next group.
    for (let i = 0; i < 60; i += 1) {
      calls.push(log.record(read(`${run}-${i}`)));
      if (i % 10 === 9) await tick();
    }
    const ids = await Promise.all(calls);

    expect(new Set(ids).size).toBe(60);
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(60);
    // Each caller got the id of its own row.
    const correlationOf = new Map(rows.map((r) => [r.entry_id, r.correlation_id]));
    expect(ids.map((id) => correlationOf.get(id))).toEqual(ids.map((_, i) => `${run}-${i}`));
    expect(await byCorrelation(run)).toHaveLength(60);
    const groups = transactions(rows).size;
    expect(groups).toBeGreaterThanOrEqual(1);
    expect(groups).toBeLessThan(60);
  });

  it('commits the callers of one turn of the event loop in one transaction', async () => {
    const run = randomUUID();
    const ids = await Promise.all(
      Array.from({ length: 25 }, (_, i) => log.record(read(`${run}-${i}`))),
    );
    const rows = await rowsOf(ids);
    expect(rows).toHaveLength(25);
    expect(transactions(rows).size).toBe(1);
  });

  it('keeps a group within its bound, and never splits one caller over two groups', async () => {
    const bounded = new AccessLog(dataSource, clock, { maxGroupRows: 8 });
    const run = randomUUID();
    const singles = Array.from({ length: 40 }, (_, i) => bounded.record(read(`${run}-${i}`)));
    const list = bounded.recordMany(Array.from({ length: 12 }, (_, i) => read(`${run}-list-${i}`)));
    const [singleIds, listIds] = await Promise.all([Promise.all(singles), list]);

    const rows = await rowsOf(singleIds);
    const perTransaction = new Map<string, number>();
    for (const r of rows) perTransaction.set(r.tx, (perTransaction.get(r.tx) ?? 0) + 1);
    expect(rows).toHaveLength(40);
    expect(perTransaction.size).toBe(5);
    expect([...perTransaction.values()].every((n) => n <= 8)).toBe(true);
    // 12 rows, more than the bound: still one transaction of their own.
    const listRows = await rowsOf(listIds);
    expect(listRows).toHaveLength(12);
    expect(transactions(listRows).size).toBe(1);
    expect(rows.some((r) => transactions(listRows).has(r.tx))).toBe(false);
  });

  it('refuses an invalid record for its caller alone; the others of its turn are written', async () => {
    const run = randomUUID();
    const invalid = [
      read(`${run}-bad-purpose`, { purpose: ' ' }),
      read(`${run}-bad-member`, { memberIds: ['not-a-uuid'] }),
      read(`${run}-bad-family`, { familyId: 'x' }),
      read(`${run}-nul`, {
        accessPoint: {
          ip: '10.0.0.7',
          userAgent: 'a\u0000b',
          client: 'c',
          correlationId: `${run}-nul`,
        },
      }),
    ];
    const { correlationId: _c, ...noCorrelation } = read(run).accessPoint;
    invalid.push(read(run, { accessPoint: noCorrelation as AccessRecord['accessPoint'] }));
    const valid = Array.from({ length: 10 }, (_, i) => read(`${run}-ok-${i}`));
    const outcomes = await Promise.allSettled(
      [valid.slice(0, 5), invalid, valid.slice(5)].flat().map((r) => log.record(r)),
    );

    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(5);
    for (const o of rejected) expect(o.reason).toBeInstanceOf(InvalidAccessRecord);
    const ids = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(ids).toHaveLength(10);
    const written = await byCorrelation(run);
    expect(written.map((r) => r.correlation_id).sort()).toEqual(
      valid.map((r) => r.accessPoint.correlationId).sort(),
    );
    expect(transactions(written).size).toBe(1);
  });

  describe('when the table cannot be written (a lock held longer than lock_timeout)', () => {
    let bounded: DataSource;
    let holder: pg.Client;

    beforeAll(async () => {
      bounded = await openDataSource(url, [], {
        applicationName: 'group-commit-test',
        timeouts: { statementTimeoutMs: 5_000, lockTimeoutMs: LOCK_TIMEOUT_MS },
      });
      holder = await connect(url);
    });
    afterAll(async () => {
      await holder?.end();
      await bounded?.destroy();
    });

    /** INSERTs of the test's pool that wait for the lock: one per group in flight. */
    const waitingInserts = async (): Promise<number> => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'group-commit-test' AND wait_event_type = 'Lock'
            AND query LIKE 'INSERT INTO access_log%'`,
      );
      return row.n;
    };

    it('rejects every caller of the failed group with its error, and writes none of them', async () => {
      const blocked = new AccessLog(bounded, clock);
      const run = randomUUID();
      // Readers may go on reading the log; only writers wait (SHARE conflicts with INSERT).
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE access_log IN SHARE MODE');
      try {
        const first = blocked.record(read(`${run}-first`));
        first.catch(() => undefined);
        await eventually(
          'the first group waits for the lock',
          async () => (await waitingInserts()) === 1,
          5_000,
          10,
        );
        // These arrive while the first flush is in flight: they make up the next group.
        const group: Array<Promise<string>> = [];
        for (let i = 0; i < 15; i += 1) {
          group.push(blocked.record(read(`${run}-${i}`)));
          if (i % 5 === 4) await tick();
        }
        const settled = Promise.allSettled(group);

        const firstError = await first.then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(toProblem(firstError).problem).toMatchObject({
          status: 503,
          type: 'urn:egep:problem:service-unavailable',
        });
        // Fifteen callers, one statement waiting for the lock on their behalf.
        await eventually(
          'the second group waits for the lock',
          async () => (await waitingInserts()) === 1,
          5_000,
          10,
        );
        const outcomes = await settled;
        expect(outcomes.map((o) => o.status)).toEqual(Array(15).fill('rejected'));
        const errors = new Set(outcomes.map((o) => (o as PromiseRejectedResult).reason));
        // One failed write answered them all; it is no error of the first group's.
        expect(errors.size).toBe(1);
        const [groupError] = errors;
        expect(groupError).not.toBe(firstError);
        expect(toProblem(groupError).problem.status).toBe(503);
        expect(await byCorrelation(run)).toEqual([]);
      } finally {
        await holder.query('ROLLBACK');
      }
      // The lock gone, the log goes on.
      const after = await blocked.record(read(`${run}-after`));
      expect(await rowsOf([after])).toHaveLength(1);
      expect(await byCorrelation(run)).toHaveLength(1);
    });

    it('writes what is waiting when closed, then refuses new records', async () => {
      // The pool's own lock_timeout (5 s) is longer than the lock is held here.
      const closing = new AccessLog(dataSource, clock);
      const run = randomUUID();
      const calls: Array<Promise<string>> = [];
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE access_log IN SHARE MODE');
      try {
        for (let i = 0; i < 30; i += 1) {
          calls.push(closing.record(read(`${run}-${i}`)));
          if (i === 9 || i === 19) await tick();
        }
        const released = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
          holder.query('ROLLBACK'),
        );
        // Nothing is in yet, and close() returns only once all thirty are.
        await closing.close();
        expect(await byCorrelation(run)).toHaveLength(30);
        await released;
      } catch (error) {
        await holder.query('ROLLBACK');
        throw error;
      }
      const outcomes = await Promise.allSettled(calls);
      expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);

      await expect(closing.record(read(`${run}-late`))).rejects.toThrow(GroupCommitClosed);
      expect(await byCorrelation(`${run}-late`)).toEqual([]);
    });
  });
});
