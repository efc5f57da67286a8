import { expect } from '@jest/globals';
import type pg from 'pg';
import { eventually, mapLimit, type SentCommand } from './load.js';
import { runCli } from './server-process.js';

/**
 * Assertions shared by the fault tests, made on the database itself rather than through the
 * API under test.
 */

/**
 * Every acknowledged command appended its events exactly once: they exist, all in one
 * transaction (one append), and the position the answer named is one of them. Nothing else
 * appended twice: no event id occurs twice.
 */
export async function expectExactlyOnce(db: pg.Client, acknowledged: SentCommand[]) {
  const ids = acknowledged.map((c) => c.correlationId);
  const { rows } = await db.query<{ cid: string; n: number; txs: number; positions: string[] }>(
    `SELECT metadata->>'correlationId' AS cid, count(*)::int AS n,
            count(DISTINCT transaction_id)::int AS txs,
            array_agg(transaction_id::text || '-' || seq::text) AS positions
       FROM events WHERE metadata->>'correlationId' = ANY($1) GROUP BY 1`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.cid, r]));
  const missing = acknowledged.filter((c) => !byId.has(c.correlationId));
  expect(missing.map((c) => `${c.kind} ${c.path}`)).toEqual([]);
  expect(rows.filter((r) => r.txs !== 1)).toEqual([]);
  const wrongPosition = acknowledged.filter((c) => {
    const position = (c.response as { position?: string } | undefined)?.position;
    return !position || !byId.get(c.correlationId)!.positions.includes(position);
  });
  expect(wrongPosition.map((c) => `${c.kind} ${c.path} ${JSON.stringify(c.response)}`)).toEqual([]);
  const duplicates = await db.query(
    `SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1`,
  );
  expect(duplicates.rows).toEqual([]);
}

/**
 * Nothing is half-written: every stream starts at version 0 and has no gaps, its recorded
 * version is its last event's, and every family stream starts with its registration.
 */
export async function expectNoHalfWrittenStreams(db: pg.Client) {
  const gaps = await db.query(
    `SELECT stream_id FROM events GROUP BY stream_id
      HAVING min(stream_version) <> 0 OR max(stream_version) <> count(*) - 1`,
  );
  expect(gaps.rows).toEqual([]);
  const versions = await db.query(
    `SELECT s.stream_id FROM event_streams s
       LEFT JOIN (SELECT stream_id, max(stream_version) AS v FROM events GROUP BY stream_id) e
         ON e.stream_id = s.stream_id
      WHERE e.v IS DISTINCT FROM s.version`,
  );
  expect(versions.rows).toEqual([]);
  const headless = await db.query(
    `SELECT stream_id FROM events
      WHERE stream_id LIKE 'family-%' AND stream_version = 0 AND type <> 'family.FamilyRegistered'`,
  );
  expect(headless.rows).toEqual([]);
}

/** Every projection is running and has processed every event in the store. */
export async function expectProjectionsCaughtUp(db: pg.Client, timeoutMs = 30_000) {
  await eventually(
    'every projection has processed every event',
    async () => {
      const { rows } = await db.query<{ name: string; status: string; behind: boolean }>(
        `SELECT c.name, c.status, EXISTS (SELECT 1 FROM events e
            WHERE c.commit_pos < 0
               OR (e.transaction_id, e.seq) > (greatest(c.commit_pos, 0)::text::xid8, c.prepare_pos))
                 AS behind
           FROM projection_checkpoints c`,
      );
      return rows.length > 0 && rows.every((r) => r.status === 'running' && !r.behind);
    },
    timeoutMs,
  );
}

/** Tables a rebuild does not recreate (or stamps with its own time): left out of the digest. */
const NOT_READ_MODELS = [
  'events',
  'event_streams',
  'projection_checkpoints',
  'parked_events',
  'idempotency_records',
  'aggregate_snapshots',
  'aggregate_snapshot_history',
  'subject_keys',
  'access_log',
  'timer_runs',
  'migrations',
];

/** A digest of each table, independent of physical row order. */
async function tableDigests(db: pg.Client): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND NOT tablename = ANY($1)
      ORDER BY 1`,
    [NOT_READ_MODELS],
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await db.query<{ digest: string }>(
      `SELECT md5(coalesce(string_agg(r, '' ORDER BY r), '')) AS digest
         FROM (SELECT md5(t::text) AS r FROM "${name}" t) s`,
    );
    digests[name] = rows[0].digest;
  }
  return digests;
}

/**
 * The live read models are the ones a rebuild from zero produces: every table a projection
 * fills has the same rows after `projections rebuild all` (one CLI process: each start costs
 * seconds on a busy machine).
 */
export async function expectRebuildMatches(db: pg.Client, env: Record<string, string>) {
  await expectProjectionsCaughtUp(db);
  const live = await tableDigests(db);
  expect(Object.keys(live)).toEqual(expect.arrayContaining(['family_views', 'plan_views']));
  const rebuilt = await runCli(['rebuild', 'all'], env);
  expect(rebuilt.code).toBe(0);
  expect(await tableDigests(db)).toEqual(live);
}

/**
 * A retry of each acknowledged Idempotency-Key gets the same answer, marked as a replay, and
 * appends nothing (no event carries the retry's correlation id).
 */
export async function expectIdempotentRetries(
  db: pg.Client,
  acknowledged: SentCommand[],
  retry: (command: SentCommand) => Promise<SentCommand>,
) {
  const keyed = acknowledged.filter((c) => c.idempotencyKey);
  expect(keyed.length).toBeGreaterThan(0);
  const before = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
  const retries = await mapLimit(keyed, 8, retry);
  expect(retries.map((r) => ({ status: r.status, response: r.response }))).toEqual(
    keyed.map((c) => ({ status: c.status, response: c.response })),
  );
  const after = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
  expect(after.rows[0].n).toBe(before.rows[0].n);
  const appended = await db.query(
    `SELECT 1 FROM events WHERE metadata->>'correlationId' = ANY($1)`,
    [retries.map((r) => r.correlationId)],
  );
  expect(appended.rows).toEqual([]);
}
