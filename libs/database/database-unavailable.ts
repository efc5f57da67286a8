/**
 * Which errors mean "the database cannot be reached right now" rather than "this request or this
 * event is wrong". The difference matters: an outage is answered with 503 and retried by the
 * background loops, while a real error is a 500 or stops (or parks) a projection.
 */

/** SQLSTATEs of a server that is going down, coming up, or full. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: fast shutdown, pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
]);

/** Socket-level failures reported by Node (and passed on by pg). */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** pg and pg-pool raise these as plain Errors, without a code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // unexpectedly, or due to connection timeout
  /^timeout exceeded when trying to connect$/, // pg-pool: no connection within connectionTimeoutMillis
  /is not queryable$/, // a client whose connection already failed, or was closed under us
  /^Query read timeout$/,
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

/**
 * True when `test` holds for `error` or for what it wraps: a TypeORM QueryFailedError's
 * driverError, an Error's cause, the errors of an AggregateError (as Node's connect raises for
 * several addresses).
 */
function anyWrapped(error: unknown, test: (e: ErrorLike) => boolean, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as ErrorLike;
  if (test(e)) return true;
  const wrapped = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return wrapped.some((inner) => inner !== error && anyWrapped(inner, test, depth + 1));
}

/** True when `error` (or what it wraps) is a lost, refused or stalled database connection. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return anyWrapped(error, (e) => {
    if (typeof e.code === 'string') {
      if (e.code.startsWith('08')) return true; // connection_exception and its subclasses
      if (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_ERRNOS.has(e.code)) return true;
    }
    return (
      typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))
    );
  });
}

/**
 * True when the server gave up on a statement that ran longer than statement_timeout, or waited
 * longer than lock_timeout for a lock (a busy stream, a stalled session holding a row), or on a
 * transaction left idle longer than idle_in_transaction_session_timeout. The
 * server is there, the statement was rolled back, and the same request may well succeed in a
 * moment; a statement cancelled on purpose (pg_cancel_backend) is not one of these.
 */
export function isDatabaseTimeout(error: unknown): boolean {
  return anyWrapped(
    error,
    (e) =>
      e.code === '55P03' || // lock_not_available
      e.code === '25P03' || // idle_in_transaction_session_timeout
      (e.code === '57014' && typeof e.message === 'string' && /statement timeout/.test(e.message)),
  );
}

/** Unavailable or timed out: nothing the request or the event did wrong; try again later. */
export function isTransientDatabaseError(error: unknown): boolean {
  return isDatabaseUnavailable(error) || isDatabaseTimeout(error);
}

/**
 * How long to wait before the next attempt after `failures` failures in a row: doubling from
 * `baseMs`, at most `maxMs`, so a loop neither hammers a database that is down nor waits long
 * once it is back.
 */
export function retryDelayMs(failures: number, baseMs = 250, maxMs = 5_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 16)));
}

/** Seconds a client should wait before retrying a request refused during an outage. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * pg settings that bound how long anything waits for the database: a connection attempt (and a
 * wait for a free client in a pool) gives up after this, so requests during an outage fail fast
 * with 503 instead of hanging.
 */
export const CONNECTION_TIMEOUT_MS = 3_000;
