import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { connect, createTestDatabase } from './support/test-database.js';
import { assertBuilt, freePort, runCli, startServer, stopped } from './support/server-process.js';

const TEAM = randomUUID();

function family(n: number) {
  return {
    teamId: TEAM,
    members: [
      { givenName: `Ouder ${n}`, familyName: 'Test', dateOfBirth: '1990-01-01', role: 'parent' },
      { givenName: `Kind ${n}`, familyName: 'Test', dateOfBirth: '2015-06-01', role: 'child' },
    ],
  };
}

describe('a server killed with SIGKILL under load', () => {
  let env: Record<string, string>;
  let db: pg.Client;

  beforeAll(async () => {
    assertBuilt();
    const url = await createTestDatabase('crash');
    env = {
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-crash-')),
      LOG_LEVEL: 'silent',
      APP_MODE: 'development',
      PROJECTION_BATCH_SIZE: '5',
    };
    db = await connect(url);
  });
  afterAll(async () => db?.end());

  it('keeps every acknowledged command exactly once, and its projection converges to a rebuild', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(env, port);
    const tokenResponse = await fetch(`${base}/api/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sub: 'prof-crash',
        name: 'Crash Test',
        organisation: 'SLT',
        roles: ['professional'],
        teams: [TEAM],
      }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };

    const acknowledged: string[] = [];
    let attempts = 0;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i += 1) {
        attempts += 1;
        try {
          const response = await fetch(`${base}/api/v1/families`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(family(w * 1000 + i)),
          });
          if (response.status === 201)
            acknowledged.push(((await response.json()) as { familyId: string }).familyId);
        } catch {
          // the connection died with the server: not acknowledged
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));

    server.kill('SIGKILL');
    await stopped(server);
    stop = true;
    await Promise.all(writers);
    expect(attempts).toBeGreaterThan(acknowledged.length);

    server = await startServer(env, port);
    try {
      // Exactly once: each acknowledged family has its two events, no more, no fewer.
      const { rows } = await db.query<{ stream_id: string; n: string }>(
        `SELECT stream_id, count(*)::text AS n FROM events WHERE stream_id = ANY($1) GROUP BY stream_id`,
        [acknowledged.map((id) => `family-${id}`)],
      );
      expect(rows).toHaveLength(acknowledged.length);
      expect(rows.every((r) => r.n === '2')).toBe(true);
      const duplicates = await db.query(
        `SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1`,
      );
      expect(duplicates.rows).toHaveLength(0);

      // The restarted projection catches up to the head...
      const deadline = Date.now() + 20_000;
      for (;;) {
        const lag = await db.query<{ behind: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM events e, projection_checkpoints c
             WHERE c.name = 'families' AND (e.transaction_id, e.seq) > (c.commit_pos::text::xid8, c.prepare_pos)) AS behind`,
        );
        if (!lag.rows[0].behind) break;
        if (Date.now() > deadline)
          throw new Error('the families projection did not catch up after the restart');
        await new Promise((r) => setTimeout(r, 100));
      }
      const views = await db.query(
        `SELECT family_id FROM family_views WHERE family_id = ANY($1::uuid[])`,
        [acknowledged],
      );
      expect(views.rows).toHaveLength(acknowledged.length);
      const streams = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM event_streams WHERE stream_id LIKE 'family-%'`,
      );
      const rowsInView = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM family_views`,
      );
      expect(rowsInView.rows[0].n).toBe(streams.rows[0].n);

      // ...and ends where a rebuild from zero ends.
      const live = await runCli(['checksum', 'families'], env);
      expect(live.code).toBe(0);
      const rebuilt = await runCli(['rebuild', 'families'], env);
      expect(rebuilt.code).toBe(0);
      const checksumOf = (out: string) => /families checksum: ([0-9a-f]{64})/.exec(out)?.[1];
      expect(checksumOf(live.stdout)).toBeDefined();
      expect(checksumOf(rebuilt.stdout)).toBe(checksumOf(live.stdout));

      const read = await fetch(`${base}/api/v1/families/${acknowledged[0]}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
    } finally {
      server.kill('SIGTERM');
      await stopped(server);
    }
  });

  it('prints the same checksum for two rebuilds from the command line', async () => {
    const first = await runCli(['rebuild', 'families'], env);
    const second = await runCli(['rebuild', 'families'], env);
    const checksum = (out: string) => /families checksum: ([0-9a-f]{64})/.exec(out)?.[1];
    expect(first.code).toBe(0);
    expect(checksum(first.stdout)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(second.stdout)).toBe(checksum(first.stdout));
  });
});
