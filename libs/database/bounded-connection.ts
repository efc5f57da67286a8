import pg from 'pg';
import { CONNECTION_TIMEOUT_MS } from './database-unavailable.js';
import { fenceLostSession } from './session-fence.js';

/** How long the server lets a statement run, and wait for a lock, before it gives up. */
export interface DatabaseTimeouts {
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  statementTimeoutMs: 10_000,
  lockTimeoutMs: 5_000,
};

/**
 * The client waits this much longer than the server's statement_timeout: normally the server's
 * own timeout answers first (a clean 57014 on a connection that stays usable); the client's only
 * fires when no answer comes at all, as on a stalled connection.
 */
export const CLIENT_TIMEOUT_MARGIN_MS = 2_000;

const READ_TIMEOUT = 'Query read timeout';

type Callback = (error: Error | null, result?: unknown) => void;
const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * pg's query_timeout answers the caller, but leaves the query running on the connection: the
 * client stays busy until the server answers (on a stalled connection, never), and TypeORM hands
 * it back to the pool without an error, so the next request queues behind it. This client
 * closes its connection instead; the pool then drops it and opens a fresh one. Whenever it loses
 * its connection it has the session ended on the server too (session-fence.ts).
 */
export class BoundedPgClient extends pg.Client {
  private readonly connectionString?: string;
  private fenced = false;

  constructor(config: pg.ClientConfig = {}) {
    super(config);
    this.connectionString = config.connectionString;
    // Registered before pg errors the queries in flight (it does so on the next tick), so the
    // fence is known to whoever handles their errors.
    this.on('error', () => this.fence());
  }

  // pg's query has a dozen overloads; this passes every form through unchanged.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (error: Error | null, result?: unknown) => {
        this.dropIfTimedOut(error);
        (last as Callback)(error, result);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (!(result instanceof Promise)) return result;
    return result.catch((error: unknown) => {
      this.dropIfTimedOut(error);
      throw error;
    });
  }

  private dropIfTimedOut(error: unknown): void {
    if (!(error instanceof Error) || error.message !== READ_TIMEOUT) return;
    this.fence();
    // Ending marks the client closed at once, so the pool drops it when it comes back; with a
    // query in flight, end() destroys the socket rather than wait for an answer.
    this.end().catch(() => undefined);
  }

  private fence(): void {
    const pid = (this as unknown as { processID?: number }).processID;
    if (this.fenced || !pid || !this.connectionString) return;
    this.fenced = true;
    const name = (this as unknown as { connectionParameters: { application_name?: string } })
      .connectionParameters.application_name;
    fenceLostSession(this.connectionString, pid, name ?? '');
  }
}

/**
 * The settings of every pool and dedicated connection of the process. The server bounds each
 * statement, lock wait and open transaction left idle; the client bounds each connection attempt and each wait for an answer
 * (a stalled connection never answers, and the server never learns of it); TCP keepalive finds a
 * peer that went away without closing the connection.
 */
export function boundedConnectionConfig(
  applicationName: string,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
) {
  return {
    application_name: applicationName,
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    statement_timeout: timeouts.statementTimeoutMs,
    lock_timeout: timeouts.lockTimeoutMs,
    // A transaction left open (its client stalled between statements) holds its locks and the
    // xmin horizon back; the server ends its session instead.
    idle_in_transaction_session_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/** A pool of BoundedPgClients with the settings above. */
export function boundedPoolConfig(
  applicationName: string,
  max: number,
  timeouts?: DatabaseTimeouts,
) {
  return {
    ...boundedConnectionConfig(applicationName, timeouts),
    max,
    Client: BoundedPgClient,
  };
}
