import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import {
  expectExactlyOnce,
  expectIdempotentRetries,
  expectNoHalfWrittenStreams,
  expectProjectionsCaughtUp,
  expectRebuildMatches,
} from './support/fault-checks.js';
import { CommandLoad, eventually, mapLimit, type SentCommand } from './support/load.js';
import { OwnPostgres } from './support/own-postgres.js';
import { connect } from './support/test-database.js';
import { assertBuilt, freePort, startServer, stopped } from './support/server-process.js';

/**
 * PostgreSQL stops (fast shutdown) under HTTP load and comes back; the server is never
 * restarted. Short mode (default, CI): one ~3 s outage. FAULT_TEST_MODE=long: several longer
 * outages under longer load.
 */
const LONG = process.env.FAULT_TEST_MODE === 'long';
const CYCLES = LONG ? 3 : 1;
const LOAD_MS = LONG ? 8_000 : 1_500;
const OUTAGE_MS = LONG ? 10_000 : 3_000;
/** How long a request may take while the database is down: it must fail fast, not hang. */
const BOUNDED_MS = 8_000;
const TEST_TIMEOUT_MS = LONG ? 600_000 : 120_000;
const UNAVAILABLE = 'urn:egep:problem:service-unavailable';
const TEAM = randomUUID();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function health(base: string) {
  const started = Date.now();
  const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(BOUNDED_MS) });
  const body = (await response.json()) as Record<string, unknown>;
  const retryAfter = response.headers.get('retry-after');
  return { status: response.status, body, retryAfter, ms: Date.now() - started };
}

describe('a PostgreSQL restart under load', () => {
  let postgres: OwnPostgres;
  let env: Record<string, string>;
  let db: pg.Client | undefined;
  let server: ChildProcess | undefined;
  let load: CommandLoad | undefined;

  beforeAll(async () => {
    assertBuilt();
    postgres = await OwnPostgres.create();
    env = {
      DATABASE_URL: await postgres.database('restart'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-pg-restart-')),
      LOG_LEVEL: 'silent',
      APP_MODE: 'development',
      DEMO_DATA: 'false',
      PROJECTION_BATCH_SIZE: '5',
      MAX_ACTIVE_GOALS: '20',
      TIMER_INTERVAL_MS: '500',
    };
  });
  afterAll(async () => {
    await load?.stop();
    if (server) {
      server.kill('SIGKILL');
      await stopped(server);
    }
    await db?.end().catch(() => undefined);
    await postgres?.remove();
    if (env) rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  it(
    'reports the outage, fails requests cleanly with 503, and recovers by itself with nothing half-written',
    async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      server = await startServer(env, port);
      const token = (
        (await (
          await fetch(`${base}/api/v1/dev/tokens`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              sub: 'prof-pg-restart',
              name: 'Restart Test',
              organisation: 'SLT',
              roles: ['professional'],
              teams: [TEAM],
            }),
          })
        ).json()) as { token: string }
      ).token;
      load = new CommandLoad({ base, token, teamId: TEAM, workers: 4, requestTimeoutMs: 15_000 });
      const probe = new CommandLoad({ base, token, teamId: TEAM, workers: 0 });
      load.start();

      const recoveredAt: number[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        await sleep(LOAD_MS);
        await postgres.stop();
        const downSince = Date.now();

        // /health reports the outage: 503, and names both the database and the event store.
        const down = await eventually('/health reports the outage', async () => {
          const h = await health(base);
          return h.status === 503 ? h : undefined;
        });
        expect(down.ms).toBeLessThan(BOUNDED_MS);
        expect(down.body).toMatchObject({
          type: UNAVAILABLE,
          status: 503,
          error: { database: { status: 'down' }, eventStore: { status: 'down' } },
        });
        expect(Number(down.retryAfter)).toBeGreaterThan(0);

        // A command fails fast and cleanly: 503 problem details naming the problem, Retry-After.
        const failed = await probe.send('register', '/api/v1/families', {
          teamId: TEAM,
          members: [{ givenName: 'A', familyName: 'B', dateOfBirth: '1980-01-01', role: 'parent' }],
        });
        expect(failed.status).toBe(503);
        expect(failed.contentType).toMatch(/^application\/problem\+json/);
        expect(failed.response).toMatchObject({ type: UNAVAILABLE, status: 503 });
        expect(Number(failed.retryAfter)).toBeGreaterThan(0);
        expect(failed.ms).toBeLessThan(BOUNDED_MS);

        await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downSince)));
        await postgres.start();

        // Service resumes by itself: the same process, healthy again.
        await eventually('/health is 200 again', async () => (await health(base)).status === 200);
        expect(server.exitCode).toBeNull();
        recoveredAt.push(Date.now());
      }
      await sleep(LOAD_MS);
      // On a loaded machine a command can take longer than LOAD_MS; the load runs on until one
      // that started after the recovery is answered (asserted below), within eventually's bound.
      const afterRecovery = recoveredAt[recoveredAt.length - 1];
      const running = load;
      await eventually('a command started after the recovery is acknowledged', async () =>
        running.acknowledged.some((c) => c.startedAt > afterRecovery),
      ).catch(() => undefined);
      await load.stop();

      // Every answer was a success, a clean 503, or the plan conflict an unanswered open-plan
      // leaves behind; never a 500, a dropped connection or a hanging request.
      const unclean = load.sent.filter(
        (c) =>
          !(typeof c.status === 'number' && c.status < 300) &&
          !(
            c.status === 503 &&
            /^application\/problem\+json/.test(c.contentType ?? '') &&
            (c.response as { type?: string }).type === UNAVAILABLE &&
            Number(c.retryAfter) > 0
          ) &&
          !(c.kind === 'open-plan' && c.status === 409),
      );
      expect(
        unclean.map((c) => ({ kind: c.kind, status: c.status, response: c.response })),
      ).toEqual([]);
      expect(Math.max(...load.sent.map((c) => c.ms))).toBeLessThan(BOUNDED_MS);
      expect(load.sent.filter((c) => c.status === 503).length).toBeGreaterThan(0);
      // Commands succeeded after the (last) recovery, without restarting the server.
      const lastRecovery = recoveredAt[recoveredAt.length - 1];
      expect(load.acknowledged.filter((c) => c.startedAt > lastRecovery).length).toBeGreaterThan(0);

      // A command after recovery becomes visible in the read model.
      const registered = await probe.send('register', '/api/v1/families', {
        teamId: TEAM,
        members: [
          { givenName: 'Na', familyName: 'Herstel', dateOfBirth: '1980-01-01', role: 'parent' },
        ],
      });
      expect(registered.status).toBe(201);
      const { familyId, position } = registered.response as { familyId: string; position: string };
      const view = await fetch(`${base}/api/v1/families/${familyId}`, {
        headers: { authorization: `Bearer ${token}`, 'x-consistent-after': position },
      });
      expect(view.status).toBe(200);

      db = await connect(env.DATABASE_URL);
      const acknowledged = [...load.acknowledged, registered];
      await expectExactlyOnce(db, acknowledged);
      await expectNoHalfWrittenStreams(db);
      await expectProjectionsCaughtUp(db);
      // No idempotency record is left claiming a request is still running: each one the outage
      // interrupted is settled (completed, applied, or gone) once the database is back.
      const stuck = () =>
        db!.query<{ key: string; state: string; path: string }>(
          `SELECT key, state, path FROM idempotency_records WHERE state = 'in_progress'`,
        );
      await eventually(
        'no idempotency record is in progress',
        async () => (await stuck()).rows.length === 0,
        15_000,
      ).catch(async () => expect((await stuck()).rows).toEqual([]));
      await expectIdempotentRetries(db, load.acknowledged, (c) =>
        probe.send(c.kind, c.path, c.body, c.idempotencyKey),
      );
      await expectUnansweredKeysRunOnce(db, load.sent, probe);
      await expectRebuildMatches(db, env);

      // Timers work again: the timers projection scheduled them, moving the clock fires them.
      // Counted in timer_runs: the server's own timer loop (every 500 ms here) may fire some of
      // them between the clock's move and its answer, which then does not count those.
      const fired = async () =>
        Number(
          (await db!.query(`SELECT count(*)::int AS n FROM timer_runs WHERE fired_at IS NOT NULL`))
            .rows[0].n,
        );
      const firedBefore = await fired();
      const moved = await fetch(`${base}/api/v1/dev/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceDays: 50 }),
      });
      expect(moved.status).toBe(200);
      expect(await fired()).toBeGreaterThan(firedBefore);
    },
    TEST_TIMEOUT_MS,
  );
});

/**
 * An Idempotency-Key whose first request got a 503 may be retried: the command then runs at
 * most once in all, whichever attempt carried it out.
 */
async function expectUnansweredKeysRunOnce(db: pg.Client, sent: SentCommand[], probe: CommandLoad) {
  const unanswered = sent.filter((c) => c.idempotencyKey && c.status === 503);
  const retries = await mapLimit(unanswered, 8, (first) =>
    probe.send(first.kind, first.path, first.body, first.idempotencyKey),
  );
  // Answered, whatever the answer (the state may have moved on: a goal limit reached, the plan
  // already opened); never a 5xx, a dropped connection or no answer.
  expect(
    retries.filter((r) => typeof r.status !== 'number' || r.status >= 500).map((r) => r.status),
  ).toEqual([]);
  const { rows } = await db.query<{ key: string; attempts: number }>(
    `SELECT k.key, count(DISTINCT e.metadata->>'correlationId')::int AS attempts
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(key, first, retry)
       JOIN events e ON e.metadata->>'correlationId' IN (k.first, k.retry)
      GROUP BY k.key HAVING count(DISTINCT e.metadata->>'correlationId') > 1`,
    [
      unanswered.map((c) => c.idempotencyKey),
      unanswered.map((c) => c.correlationId),
      retries.map((r) => r.correlationId),
    ],
  );
  expect(rows).toEqual([]);
}
