import { randomBytes } from 'node:crypto';
import {
  BoundedPgClient,
  boundedConnectionConfig,
  type DatabaseTimeouts,
} from './bounded-connection.js';
import { retryDelayMs } from './database-unavailable.js';

/** A fresh id for this process, never used by another. */
export function newInstanceId(): string {
  return randomBytes(12).toString('base64url');
}

/** The application_name of a session of this process: `<role>@<instance id>`. */
export function sessionName(role: string, instanceId?: string): string {
  return instanceId ? `${role}@${instanceId}` : role;
}

/**
 * After a PostgreSQL restart every instance has lost its sessions and takes a moment to open
 * them again: until then, no session of an instance says nothing about whether it lives.
 */
const RESTART_GRACE_SECONDS = 15;

export type Liveness = 'alive' | 'gone' | 'unsure';

interface Queryable {
  query(sql: string, parameters: unknown[]): Promise<unknown>;
}

/**
 * Whether another instance still lives, asked without side effects: pg_stat_activity (which
 * shows every session's application_name to every user) lists its sessions. None left means it
 * is gone, and so is everything it began: a statement it sent can no longer run or commit.
 */
export async function livenessOf(db: Queryable, instanceId: string): Promise<Liveness> {
  const rows = (await db.query(
    `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                     WHERE split_part(application_name, '@', 2) = $1) AS alive,
            pg_postmaster_start_time() > now() - make_interval(secs => $2) AS restarted`,
    [instanceId, RESTART_GRACE_SECONDS],
  )) as Array<{ alive: boolean; restarted: boolean }>;
  if (rows[0].alive) return 'alive';
  return rows[0].restarted ? 'unsure' : 'gone';
}

/**
 * This instance's own session that stays open while the process lives (its pools may close
 * every idle connection), so that livenessOf sees it; reopened after a database restart.
 */
export class InstancePresence {
  private client?: BoundedPgClient;
  private closed = false;
  private kept?: Promise<void>;

  constructor(
    readonly id: string,
    private readonly connectionString: string,
    private readonly timeouts?: DatabaseTimeouts,
  ) {}

  /** Resolves once the session is open; from then on it is kept open. */
  async start(): Promise<void> {
    const { lost } = await this.open();
    this.kept = this.keep(lost);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    await this.kept;
  }

  private async keep(lost: Promise<void>): Promise<void> {
    await lost;
    for (let failures = 1; !this.closed; failures += 1) {
      await new Promise((r) => setTimeout(r, retryDelayMs(failures, 100, 2_000)).unref());
      if (this.closed) return;
      try {
        const { lost: lostAgain } = await this.open();
        if (this.closed) return void (await this.client?.end().catch(() => undefined));
        failures = 0;
        await lostAgain;
      } catch {
        // not reachable yet: try again after the delay
      }
    }
  }

  /** Opens the session; `lost` settles when the session is lost. */
  private async open(): Promise<{ lost: Promise<void> }> {
    const client = new BoundedPgClient({
      connectionString: this.connectionString,
      ...boundedConnectionConfig(sessionName('presence', this.id), this.timeouts),
    });
    const lost = new Promise<void>((resolve) => {
      client.on('error', () => resolve());
      client.once('end', () => resolve());
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return { lost };
  }
}
