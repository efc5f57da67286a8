import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import {
  expectExactlyOnce,
  expectIdempotentRetries,
  expectNoHalfWrittenStreams,
  expectProjectionsCaughtUp,
  expectRebuildMatches,
} from './support/fault-checks.js';
import { CommandLoad } from './support/load.js';
import { connect, createTestDatabase } from './support/test-database.js';
import { assertBuilt, freePort, startServer, stopped } from './support/server-process.js';

const TEAM = randomUUID();

async function devToken(base: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: 'prof-crash-mix',
      name: 'Crash Test',
      organisation: 'SLT',
      roles: ['professional'],
      teams: [TEAM],
    }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe('a server killed with SIGKILL under a mixed command load', () => {
  let env: Record<string, string>;
  let db: pg.Client;

  beforeAll(async () => {
    assertBuilt();
    const url = await createTestDatabase('crashmix');
    env = {
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-crashmix-')),
      LOG_LEVEL: 'silent',
      APP_MODE: 'development',
      DEMO_DATA: 'false',
      PROJECTION_BATCH_SIZE: '5',
      MAX_ACTIVE_GOALS: '20',
    };
    db = await connect(url);
  });
  afterAll(async () => {
    await db?.end();
    rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  it('keeps every acknowledged command exactly once, writes nothing by halves, and replays idempotent answers', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(env, port);
    const token = await devToken(base);
    const load = new CommandLoad({ base, token, teamId: TEAM, workers: 6 });
    load.start();
    while (load.acknowledged.length < 80) await new Promise((r) => setTimeout(r, 5));

    server.kill('SIGKILL');
    await stopped(server);
    await load.stop();
    const acknowledged = load.acknowledged;
    expect(new Set(acknowledged.map((c) => c.kind)).size).toBe(5);
    expect(load.sent.length).toBeGreaterThan(acknowledged.length);

    server = await startServer(env, port);
    try {
      await expectExactlyOnce(db, acknowledged);
      await expectNoHalfWrittenStreams(db);
      await expectProjectionsCaughtUp(db);
      await expectIdempotentRetries(db, acknowledged, (c) =>
        load.send(c.kind, c.path, c.body, c.idempotencyKey),
      );
      await expectRebuildMatches(db, env);
    } finally {
      server.kill('SIGTERM');
      await stopped(server);
    }
  });
});
