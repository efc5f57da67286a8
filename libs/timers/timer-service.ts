import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import { isTransientDatabaseError } from '../database/database-unavailable.js';
import type { DueTimer, TimerHandler } from './timer.js';

export interface TimerServiceOptions {
  /** How long a claimed timer is reserved for this process before another may take it. */
  readonly leaseSeconds?: number;
  readonly batchSize?: number;
  readonly logger?: {
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  readonly onFired?: (kind: string, outcome: 'fired' | 'failed') => void;
}

interface ClaimedRow {
  timer_id: string;
  kind: string;
  due_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** After a failure, wait 2^attempts seconds (at most an hour) before trying again. */
const backoffSeconds = (attempts: number) => Math.min(3600, 2 ** Math.min(attempts, 12));

/**
 * Fires due timers. Claims are leases in timer_runs, keyed by (timer, due moment): an INSERT
 * that only one process can win, or the take-over of a lease whose holder died, so two server
 * instances never work on one timer at once, and a timer that came due while every server was
 * down fires when one starts. "Due" is judged by the domain clock (movable in development); a
 * lease runs on the database's own time, because it is about processes, not the domain.
 */
export class TimerService {
  private readonly owner = randomUUID();
  private readonly handlers: Map<string, TimerHandler>;
  private interval?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    handlers: readonly TimerHandler[],
    private readonly options: TimerServiceOptions = {},
  ) {
    this.handlers = new Map(handlers.map((h) => [h.kind, h]));
  }

  /** Runs at once (timers that came due while no server ran), then every interval. */
  start(intervalMs: number): void {
    // An outage: one warning when it starts, not one (with a stack) every interval.
    let waiting = false;
    const run = () =>
      this.runDue().then(
        () => (waiting = false),
        (err) => {
          if (!isTransientDatabaseError(err)) {
            this.options.logger?.error({ err }, 'timer run failed');
          } else if (!waiting) {
            waiting = true;
            this.options.logger?.warn({ reason: err.message }, 'timers waiting for the database');
          }
        },
      );
    this.interval = setInterval(run, intervalMs);
    this.interval.unref();
    void run();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.running?.catch(() => undefined);
  }

  /** Fires every timer due by the clock now; returns how many fired. One run at a time. */
  async runDue(): Promise<number> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.drain();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async drain(): Promise<number> {
    let fired = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return fired;
      for (const row of claimed) if (await this.fire(row)) fired += 1;
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const now = this.clock.now().toISOString();
    const lease = this.options.leaseSeconds ?? 60;
    const limit = this.options.batchSize ?? 50;
    const fresh: ClaimedRow[] = await this.dataSource.query(
      `WITH due AS (
         SELECT t.timer_id, t.due_at FROM scheduled_timers t
          WHERE t.due_at <= $1
            AND NOT EXISTS (SELECT 1 FROM timer_runs r
                             WHERE r.timer_id = t.timer_id AND r.due_at = t.due_at)
          ORDER BY t.due_at LIMIT $4)
       INSERT INTO timer_runs (timer_id, due_at, lease_owner, lease_until, attempts)
       SELECT timer_id, due_at, $2, now() + make_interval(secs => $3), 1 FROM due
       ON CONFLICT (timer_id, due_at) DO NOTHING
       RETURNING timer_id, attempts`,
      [now, this.owner, lease, limit],
    );
    const retried: ClaimedRow[] = await this.dataSource.query(
      // In a CTE because TypeORM answers a bare UPDATE with [rows, count], not rows.
      `WITH taken AS (
         UPDATE timer_runs r SET lease_owner = $2,
                lease_until = now() + make_interval(secs => $3), attempts = r.attempts + 1
          WHERE r.fired_at IS NULL AND r.lease_until < now()
            AND EXISTS (SELECT 1 FROM scheduled_timers t
                         WHERE t.timer_id = r.timer_id AND t.due_at = r.due_at AND t.due_at <= $1)
         RETURNING r.timer_id, r.attempts)
       SELECT timer_id, attempts FROM taken`,
      [now, this.owner, lease],
    );
    const claimed = [...fresh, ...retried];
    if (claimed.length === 0) return [];
    const attempts = new Map(claimed.map((c) => [c.timer_id, c.attempts]));
    const rows: ClaimedRow[] = await this.dataSource.query(
      `SELECT timer_id, kind, due_at, payload FROM scheduled_timers
        WHERE timer_id = ANY($1::text[]) ORDER BY due_at`,
      [[...attempts.keys()]],
    );
    return rows.map((row) => ({ ...row, attempts: attempts.get(row.timer_id)! }));
  }

  private async fire(row: ClaimedRow): Promise<boolean> {
    const timer: DueTimer = {
      timerId: row.timer_id,
      kind: row.kind,
      dueAt: new Date(row.due_at),
      payload: row.payload,
      attempt: row.attempts,
    };
    const key = [row.timer_id, timer.dueAt.toISOString(), this.owner];
    try {
      const handler = this.handlers.get(row.kind);
      if (!handler) throw new Error(`No handler for timers of kind ${row.kind}`);
      await handler.fire(timer);
      await this.dataSource.query(
        `UPDATE timer_runs SET fired_at = now(), lease_until = NULL, last_error = NULL
          WHERE timer_id = $1 AND due_at = $2 AND lease_owner = $3`,
        key,
      );
      this.options.onFired?.(row.kind, 'fired');
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource.query(
        `UPDATE timer_runs SET last_error = $4,
                lease_until = now() + make_interval(secs => $5)
          WHERE timer_id = $1 AND due_at = $2 AND lease_owner = $3`,
        [...key, message, backoffSeconds(row.attempts)],
      );
      this.options.logger?.error(
        { timer: timer.timerId, kind: row.kind, err: error },
        'timer failed',
      );
      this.options.onFired?.(row.kind, 'failed');
      return false;
    }
  }
}
