import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { Response } from 'supertest';
import { httpSession, SMITS, type HttpSession } from './support/http-session.js';
import { eventually } from './support/load.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { connect } from './support/test-database.js';

const TEAM = randomUUID();
const UNAVAILABLE = 'urn:egep:problem:service-unavailable';
const WAVE = 12;

interface LogRow {
  correlation_id: string;
  user_id: string;
  action: string;
  resource: string;
  family_id: string;
  member_ids: string[];
  rule: string;
  /** The transaction that inserted the row. */
  tx: string;
}

/**
 * Group commit seen from outside: reads answered while the access log cannot be written (a
 * session holds a lock on it longer than the pool's lock_timeout) get 503 and no data, reads
 * answered around them get their data and exactly one record each.
 */
describe('access log group commit under concurrent reads', () => {
  let t: TestApp;
  let s: HttpSession;
  let holder: pg.Client;
  let sanne: string;
  let familyId: string;
  let memberIds: string[];

  /** What a read of this family shows the casusregisseur and nobody may get without a record. */
  const PERSONAL = [
    'Paulien',
    'Noah',
    'Smits',
    '2002-03-14',
    '2025-05-20',
    '111222333',
    '******333',
    'Oma Ria',
  ];

  beforeAll(async () => {
    // A lock wait ends in 300 ms instead of 5 s: the test needs a log that cannot be written.
    t = await startTestApp({ DB_LOCK_TIMEOUT_MS: '300' });
    s = httpSession(t);
    holder = await connect(t.infra.databaseUrl);
    sanne = await t.token({ teams: [TEAM] });
    ({ familyId, memberIds } = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: SMITS,
      network: [{ name: 'Oma Ria', relation: 'grandmother' }],
    }));
    await s.openPlanWithCasusregie(sanne, familyId, 'prof-sanne');
  });
  afterAll(async () => {
    await holder?.query('ROLLBACK').catch(() => undefined);
    await holder?.end();
    await t?.close();
  });

  const read = (correlationId: string) =>
    s.read(sanne, `/api/v1/families/${familyId}`).set('X-Correlation-Id', correlationId);

  const recordsOf = (correlationIds: string[]): Promise<LogRow[]> =>
    t.infra.dataSource.query(
      `SELECT correlation_id, user_id, action, resource, family_id, member_ids, rule,
              xmin::text AS tx
         FROM access_log WHERE correlation_id = ANY($1::text[])`,
      [correlationIds],
    );

  /** A log INSERT of the app's pool waiting for the held lock: a group's flush in flight. */
  const flushWaitsForLock = async () => {
    const [row] = await t.infra.dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE starts_with(application_name, 'read-models') AND wait_event_type = 'Lock'
          AND query LIKE 'INSERT INTO access_log%'`,
    );
    return row.n > 0;
  };

  it('answers a read only with its record: 503 without data while the log is locked, one record per 200', async () => {
    const run = randomUUID();
    const ids = (wave: string) => Array.from({ length: WAVE }, (_, i) => `${run}-${wave}-${i}`);
    const answers = new Map<string, Response>();
    const order: string[] = [];
    const send = (id: string) =>
      read(id).then((response) => {
        answers.set(id, response);
        order.push(id);
      });
    const statusesOf = (wave: string) => ids(wave).map((id) => answers.get(id)!.status);

    // The casusregisseur sees the family in full: what a 503 must not show.
    const full = await read(`${run}-before`).expect(200);
    expect(full.body.members.map((m: { givenName: string }) => m.givenName)).toEqual([
      'Paulien',
      'Noah',
    ]);

    // SHARE conflicts with INSERT only: the family's own read models stay readable.
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE access_log IN SHARE MODE');
    let during: Promise<unknown>;
    try {
      const locked = Promise.all(ids('a').map(send));
      await eventually('a log flush waits for the lock', flushWaitsForLock, 20_000, 10);
      await eventually('the first group is refused', async () => order.length > 0, 20_000, 10);
      // The next group of the first wave waits for the lock now; these queue up behind it.
      during = Promise.all(ids('b').map(send));
      await locked;
    } finally {
      await holder.query('ROLLBACK');
    }
    // The lock is gone: these come while the second wave's groups may still be in flight.
    const after = Promise.all(ids('c').map(send));
    await Promise.all([during, after]);

    // Answered while nothing could be logged: refused, every one.
    expect(statusesOf('a')).toEqual(Array(WAVE).fill(503));
    expect(statusesOf('b').every((s) => s === 200 || s === 503)).toBe(true);
    expect(statusesOf('c')).toEqual(Array(WAVE).fill(200));

    const sent = [...ids('a'), ...ids('b'), ...ids('c')];
    const records = await recordsOf(sent);
    for (const id of sent) {
      const response = answers.get(id)!;
      expect(response.headers['x-correlation-id']).toBe(id);
      const own = records
        .filter((r) => r.correlation_id === id)
        .map(({ tx: _tx, ...record }) => record);
      if (response.status === 200) {
        expect({ id, records: own }).toEqual({
          id,
          records: [
            {
              correlation_id: id,
              user_id: 'prof-sanne',
              action: 'read',
              resource: 'family',
              family_id: familyId,
              member_ids: expect.arrayContaining(memberIds),
              rule: 'casusregisseur',
            },
          ],
        });
        expect(response.body.members).toHaveLength(2);
      } else {
        expect({ id, records: own }).toEqual({ id, records: [] });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
        expect(response.body).toEqual({
          type: UNAVAILABLE,
          title: 'Service unavailable',
          status: 503,
          detail: expect.any(String),
          instance: `/api/v1/families/${familyId}`,
        });
        for (const personal of [...PERSONAL, ...memberIds]) {
          expect(response.text).not.toContain(personal);
        }
      }
    }
    const answered = sent.filter((id) => answers.get(id)!.status === 200);
    expect(records).toHaveLength(answered.length);
    // The answered reads' records went in together: fewer transactions than records.
    expect(new Set(records.map((r) => r.tx)).size).toBeLessThan(records.length);
  });
});
