import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { CommandLoad, eventually, type SentCommand } from './support/load.js';
import { connect, createTestDatabase } from './support/test-database.js';
import { assertBuilt, freePort, startServer, stopped } from './support/server-process.js';

const TEAM = randomUUID();
const IN_PROGRESS = 'urn:egep:problem:idempotency-in-progress';

const child = (n: string) => ({
  givenName: `Kind ${n}`,
  familyName: 'Crash',
  dateOfBirth: '2017-05-06',
  role: 'child',
});

/**
 * A server is SIGKILLed while a command with an Idempotency-Key is in flight: the test holds the
 * family's stream row, so the command's append is reliably waiting inside PostgreSQL when the
 * server dies. Another server then gets the retry.
 */
describe('an Idempotency-Key whose server was killed mid-request', () => {
  let env: Record<string, string>;
  let db: pg.Client;
  let port: number;
  let base: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    assertBuilt();
    env = {
      DATABASE_URL: await createTestDatabase('killed_key'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-killed-key-')),
      LOG_LEVEL: 'silent',
      APP_MODE: 'development',
      DEMO_DATA: 'false',
      TIMER_INTERVAL_MS: '0',
      DB_STATEMENT_TIMEOUT_MS: '60000',
    };
    db = await connect(env.DATABASE_URL);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    if (server) {
      server.kill('SIGKILL');
      await stopped(server);
    }
    await db?.end();
    if (env) rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  async function token(): Promise<string> {
    const response = await fetch(`${base}/api/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sub: 'prof-killed',
        name: 'Killed Key',
        organisation: 'SLT',
        roles: ['professional'],
        teams: [TEAM],
      }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  /**
   * Registers a family, then, with its stream row locked by the test, sends a keyed command on
   * it and SIGKILLs the server while that command waits for the lock (for at most
   * `lockTimeoutMs`, the server's lock_timeout). Starts another server. Returns the lock holder
   * (still in its transaction), what the killed request was, and a retry of it.
   */
  async function killMidRequest(lockTimeoutMs: number) {
    const serverEnv = { ...env, DB_LOCK_TIMEOUT_MS: String(lockTimeoutMs) };
    server = await startServer(serverEnv, port);
    const load = new CommandLoad({ base, token: await token(), teamId: TEAM, workers: 0 });
    const registered = await load.send('register', '/api/v1/families', {
      teamId: TEAM,
      members: [
        { givenName: 'Ouder', familyName: 'Crash', dateOfBirth: '1984-01-02', role: 'parent' },
      ],
    });
    expect(registered.status).toBe(201);
    const { familyId } = registered.response as { familyId: string };
    const holder = await connect(env.DATABASE_URL);
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM event_streams WHERE stream_id = $1 FOR UPDATE', [
      `family-${familyId}`,
    ]);
    const key = `killed-${randomUUID()}`;
    const path = `/api/v1/families/${familyId}/members`;
    const body = child('A');
    const inFlight = load.send('add-member', path, body, key);
    await eventually(
      'the command waits for the stream lock',
      async () => (await lockWaiters()) > 0,
    );
    server.kill('SIGKILL');
    await stopped(server);
    const killed = await inFlight;
    expect(killed.status).toBe('network');
    const record = await db.query(`SELECT state FROM idempotency_records WHERE key = $1`, [key]);
    expect(record.rows).toEqual([{ state: 'in_progress' }]);
    server = await startServer(serverEnv, port);
    const retrying = new CommandLoad({ base, token: await token(), teamId: TEAM, workers: 0 });
    return { holder, killed, retry: () => retrying.send('add-member', path, body, key) };
  }

  /** Sessions of the event store (of any server) waiting for a lock. */
  async function lockWaiters(): Promise<number> {
    const { rows } = await db.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND application_name LIKE 'event-store@%'`,
    );
    return rows.length;
  }

  const problemType = (answer: SentCommand) => (answer.response as { type?: string }).type;

  const eventsOf = async (correlationIds: string[]) =>
    (
      await db.query<{ correlation: string; type: string }>(
        `SELECT metadata->>'correlationId' AS correlation, type FROM events
          WHERE metadata->>'correlationId' = ANY($1)`,
        [correlationIds],
      )
    ).rows;

  async function stop() {
    server!.kill('SIGTERM');
    await stopped(server!);
    server = undefined;
  }

  it('answers 409 answer-lost once the killed command turns out to have been carried out', async () => {
    const { holder, killed, retry } = await killMidRequest(60_000);
    try {
      // The dead server's append still waits inside PostgreSQL, and commits when the lock goes:
      // while its session lives, a retry must not decide.
      const early = await retry();
      expect({ status: early.status, type: problemType(early) }).toEqual({
        status: 409,
        type: IN_PROGRESS,
      });
      await holder.query('COMMIT');
      const retries: SentCommand[] = [early];
      const settled = await eventually('the key is settled', async () => {
        const answer = await retry();
        retries.push(answer);
        return problemType(answer) === IN_PROGRESS ? undefined : answer;
      });
      expect({ status: settled.status, type: problemType(settled) }).toEqual({
        status: 409,
        type: 'urn:egep:problem:idempotency-answer-lost',
      });
      // Carried out once, by the killed request; no retry ran it again.
      const events = await eventsOf([killed.correlationId, ...retries.map((r) => r.correlationId)]);
      expect(events.map((e) => e.correlation)).toEqual([killed.correlationId]);
    } finally {
      await holder.end();
      await stop();
    }
  });

  it('runs the command once when the killed one turns out not to have been carried out', async () => {
    const { holder, killed, retry } = await killMidRequest(3_000);
    const retries: SentCommand[] = [];
    try {
      // The dead server's append gives up on the lock by itself (its lock_timeout) and is
      // rolled back; its session ends. Only then is the stream free for the retry.
      await eventually('the killed append gave up', async () => (await lockWaiters()) === 0);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    try {
      const ran = await eventually('the key is settled and the command runs', async () => {
        const answer = await retry();
        retries.push(answer);
        return answer.status === 201 ? answer : undefined;
      });
      expect(retries.filter((r) => r.status !== 201).map(problemType)).toEqual(
        retries.slice(0, -1).map(() => IN_PROGRESS),
      );
      const replayed = await retry();
      expect(replayed.status).toBe(201);
      expect(replayed.response).toEqual(ran.response);
      const events = await eventsOf([
        killed.correlationId,
        ...retries.map((r) => r.correlationId),
        replayed.correlationId,
      ]);
      expect(events.map((e) => e.correlation)).toEqual([ran.correlationId]);
    } finally {
      await stop();
    }
  });
});
