import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { Response } from 'supertest';
import { eventually } from './support/load.js';
import { LogLines } from './support/log-lines.js';
import { StallProxy } from './support/stall-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { connect, createTestDatabase } from './support/test-database.js';

const UNAVAILABLE = 'urn:egep:problem:service-unavailable';
const TEAM = randomUUID();
const STATEMENT_TIMEOUT_MS = 1_000;
/**
 * The longest a request may take while the database is stalled: the client's bound on one
 * statement (statement timeout + 2 s) or on one connection attempt (3 s), with room to spare. A
 * request that hung would never end; this only proves that each one ended.
 */
const BOUND_MS = 12_000;

const family = (name: string) => ({
  teamId: TEAM,
  members: [{ givenName: name, familyName: 'Stil', dateOfBirth: '1985-02-03', role: 'parent' }],
});

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.slice(name.length).trim()) : NaN;
}

describe('a stalled database connection (a proxy that stops forwarding, sockets open)', () => {
  let proxy: StallProxy;
  let app: TestApp;
  let db: pg.Client;
  let token: string;
  let familyId: string;
  const logs = new LogLines();

  beforeAll(async () => {
    const url = await createTestDatabase('stall');
    const target = new URL(url);
    proxy = await StallProxy.start({ host: target.hostname, port: Number(target.port) });
    app = await startTestApp(
      {
        DATABASE_URL: proxy.route(url),
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DB_LOCK_TIMEOUT_MS: '500',
        LOG_LEVEL: 'info',
        // The background loops run too, and must not log an error per attempt either.
        TIMER_INTERVAL_MS: '500',
      },
      { logDestination: logs },
    );
    db = await connect(url);
    token = await app.token({ sub: 'prof-stall', teams: [TEAM] });
    const registered = await app.http
      .post('/api/v1/families')
      .set('authorization', `Bearer ${token}`)
      .send(family('Voor'))
      .expect(201);
    familyId = registered.body.familyId;
  });

  afterAll(async () => {
    proxy?.resume();
    await app?.close();
    await proxy?.close();
    await db?.end();
  });

  const read = () =>
    app.http.get(`/api/v1/families/${familyId}`).set('authorization', `Bearer ${token}`);
  const register = (name: string, headers: Record<string, string> = {}) =>
    app.http
      .post('/api/v1/families')
      .set({ authorization: `Bearer ${token}`, ...headers })
      .send(family(name));
  const timed = async (request: PromiseLike<Response>) => {
    const started = Date.now();
    const response = await request;
    return { response, ms: Date.now() - started };
  };

  it('answers reads and commands with 503 within the bound, logs the outage once, and recovers by itself', async () => {
    const stalledKey = `stall-${randomUUID()}`;
    const stalledCorrelation = randomUUID();
    proxy.pause();

    const answers = await Promise.all([
      timed(read()),
      timed(read()),
      timed(register('Tijdens')),
      timed(
        register('Sleutel', {
          'idempotency-key': stalledKey,
          'x-correlation-id': stalledCorrelation,
        }),
      ),
      timed(app.http.get('/health')),
    ]);
    for (const { response, ms } of answers) {
      expect({ status: response.status, type: response.body.type }).toEqual({
        status: 503,
        type: UNAVAILABLE,
      });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(ms).toBeLessThan(BOUND_MS);
    }

    // One warning for the whole outage; no error, and no stack, for any of the requests.
    const warnings = logs.at('warn').filter((l) => /^database unavailable/.test(l.msg ?? ''));
    expect(warnings).toHaveLength(1);
    expect(logs.atLeast('error')).toEqual([]);
    expect(logs.lines.filter((l) => l.err !== undefined || l.stack !== undefined)).toEqual([]);
    const during = (await app.http.get('/metrics').expect(200)).text;
    expect(
      metric(during, 'http_database_unavailable_responses_total{cause="unreachable"}'),
    ).toBeGreaterThanOrEqual(answers.length);
    expect(metric(during, 'database_reachable')).toBe(0);
    // The projections and the timer loop say once each that they wait, without a stack.
    await eventually('the background loops report the outage', async () => {
      const messages = logs.at('warn').map((l) => l.msg);
      return (
        messages.includes('projection waiting for the database; retrying') &&
        messages.includes('timers waiting for the database')
      );
    });
    expect(logs.atLeast('error')).toEqual([]);
    expect(logs.lines.filter((l) => l.err !== undefined || l.stack !== undefined)).toEqual([]);
    expect(logs.at('warn').filter((l) => l.msg === 'timers waiting for the database')).toHaveLength(
      1,
    );

    proxy.resume();

    // The same process serves again, and says so once.
    await eventually('reads succeed again', async () => (await read()).status === 200, 30_000);
    await eventually('the end of the outage is logged', async () =>
      logs.at('info').some((l) => l.msg === 'database available again after an outage'),
    );
    const ended = logs.at('info').find((l) => l.msg === 'database available again after an outage');
    expect(ended?.refused).toBeGreaterThanOrEqual(answers.length);
    const after = (await app.http.get('/metrics').expect(200)).text;
    expect(metric(after, 'database_reachable')).toBe(1);
    expect((await register('Na')).status).toBe(201);
    expect(logs.at('warn').filter((l) => /^database unavailable/.test(l.msg ?? ''))).toHaveLength(
      1,
    );

    // The key whose claim was cut off is settled, not in progress for ever: a retry runs it,
    // once, and the stalled attempt carried nothing out.
    const retried = await eventually(
      'the stalled key is settled',
      async () => {
        const response = await register('Sleutel', { 'idempotency-key': stalledKey });
        return response.status === 201 ? response : undefined;
      },
      30_000,
    );
    const replayed = await register('Sleutel', { 'idempotency-key': stalledKey });
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.familyId).toBe(retried.body.familyId);
    const { rows } = await db.query(`SELECT 1 FROM events WHERE metadata->>'correlationId' = $1`, [
      stalledCorrelation,
    ]);
    expect(rows).toEqual([]);
  });
});
