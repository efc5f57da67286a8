import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { freePort } from '../../test/support/server-process.js';
import { EmbeddedPostgresRefused, startEmbeddedPostgres } from './embedded-postgres.js';

const root = process.getuid?.() === 0;
if (!root) {
  // Visible in every test run, so nobody mistakes the skip for a pass.
  console.warn('Embedded PostgreSQL as root SKIPPED: run the tests as root to run it');
}

(root ? describe : describe.skip)('the embedded PostgreSQL started by root', () => {
  const base = mkdtempSync(join(tmpdir(), 'egep-as-root-'));
  // embedded-postgres puts its password file in os.tmpdir(): a private one shows what is left.
  const privateTmp = join(base, 'tmp');
  let tmpBefore: string | undefined;

  beforeAll(() => {
    chmodSync(base, 0o755);
    mkdirSync(privateTmp);
    tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
  });
  afterAll(() => {
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
    rmSync(base, { recursive: true, force: true });
  });

  it('refuses, in one line that says what to do, a data directory postgres cannot reach, and writes nothing', async () => {
    const closed = join(base, 'private');
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    const dataDir = join(closed, 'project', '.data', 'pg');
    const started = startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'egep',
      persistent: false,
    });
    await expect(started).rejects.toThrow(EmbeddedPostgresRefused);
    const message = await started.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toContain(`cannot enter ${closed}`);
    expect(message).toMatch(/DATABASE_URL/);
    expect(readdirSync(closed)).toEqual([]);
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it('starts in a directory it can reach even under a umask of 077, and leaves no files behind', async () => {
    const dataDir = join(base, 'reachable', 'nested', '.data', 'pg');
    const port = await freePort();
    const umask = process.umask(0o077);
    let handle: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
    try {
      handle = await startEmbeddedPostgres({ dataDir, port, database: 'egep', persistent: false });
    } finally {
      process.umask(umask);
    }
    try {
      const client = new pg.Client({ connectionString: handle.connectionString });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      expect(rows).toEqual([{ name: 'egep' }]);
      expect(readdirSync(join(base, 'reachable', 'nested', '.data'))).toEqual(['pg']);
      // TCP only: no Unix socket in /tmp, which a killed server would leave behind.
      expect(existsSync(`/tmp/.s.PGSQL.${port}`)).toBe(false);
    } finally {
      await handle.stop();
    }
    expect(existsSync(dataDir)).toBe(false);
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});
