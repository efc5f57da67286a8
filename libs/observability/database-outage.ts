import type { Logger } from 'pino';
import { isDatabaseTimeout } from '../database/database-unavailable.js';
import type { Metrics } from './metrics.js';

export interface DatabaseOutageOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Resolves when the database answers again. */
  readonly probe: () => Promise<unknown>;
  readonly probeIntervalMs?: number;
}

function reason(error: unknown): string {
  const detail = (error as { problem?: { detail?: unknown } }).problem?.detail;
  if (typeof detail === 'string') return detail;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Requests answered 503 because the database could not be reached or did not answer in time.
 * Every one is counted; the log gets one warning when such a period starts and one line when
 * the database answers again, not an error with a stack for each request: during an outage
 * those would bury everything else.
 */
export class DatabaseOutage {
  private since?: number;
  private refusedSince = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: DatabaseOutageOptions) {
    options.metrics.databaseReachable.set(1);
  }

  get ongoing(): boolean {
    return this.since !== undefined;
  }

  /** A request was answered 503 because of the database (`error` says why). */
  refused(error: unknown, url: string): void {
    const cause = isDatabaseTimeout(error) ? 'timeout' : 'unreachable';
    this.options.metrics.databaseUnavailableResponses.inc({ cause });
    this.refusedSince += 1;
    if (this.since !== undefined) return;
    this.since = Date.now();
    this.refusedSince = 1;
    this.options.metrics.databaseReachable.set(0);
    this.options.logger.warn(
      { cause, reason: reason(error), url },
      'database unavailable: answering 503 until it answers again',
    );
    this.watch();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private watch(): void {
    if (this.closed) return;
    this.timer = setTimeout(async () => {
      try {
        await this.options.probe();
      } catch {
        return this.watch();
      }
      const seconds = Math.round((Date.now() - (this.since ?? Date.now())) / 100) / 10;
      this.options.logger.info(
        { seconds, refused: this.refusedSince },
        'database available again after an outage',
      );
      this.since = undefined;
      this.options.metrics.databaseReachable.set(1);
    }, this.options.probeIntervalMs ?? 1_000);
    this.timer.unref();
  }
}
