import pg from 'pg';
import { CONNECTION_TIMEOUT_MS, retryDelayMs } from './database-unavailable.js';

/** How long to keep trying to reach the server to end a lost session. */
const FENCE_FOR_MS = 10 * 60_000;

interface LostSession {
  readonly pid: number;
  readonly applicationName: string;
}

interface Fence {
  readonly sessions: Map<number, LostSession>;
  running?: Promise<void>;
}

const fences = new Map<string, Fence>();

/**
 * A connection the client lost (a read timeout on a stalled connection, a reset) may still be a
 * live session on the server: its last statement may yet run and commit (when the stalled bytes
 * arrive after all), and it may hold locks others wait for. So the session is ended on the server
 * as soon as the server can be reached. Matched by pid and application_name, so a pid the server
 * has since given to another session is left alone.
 */
export function fenceLostSession(
  connectionString: string,
  pid: number,
  applicationName: string,
): void {
  let fence = fences.get(connectionString);
  if (!fence) fences.set(connectionString, (fence = { sessions: new Map() }));
  fence.sessions.set(pid, { pid, applicationName });
  fence.running ??= endLostSessions(connectionString, fence).finally(() => {
    fence.running = undefined;
    if (fence.sessions.size === 0) fences.delete(connectionString);
  });
}

/**
 * Resolves once every session lost so far has ended on the server (or could not be reached to be
 * ended for FENCE_FOR_MS): after that, nothing a lost connection sent can still commit.
 */
export async function lostSessionsEnded(): Promise<void> {
  await Promise.all([...fences.values()].map((fence) => fence.running));
}

async function endLostSessions(connectionString: string, fence: Fence): Promise<void> {
  const giveUpAt = Date.now() + FENCE_FOR_MS;
  for (let failures = 0; fence.sessions.size > 0;) {
    const batch = [...fence.sessions.values()];
    try {
      await terminate(connectionString, batch);
      for (const session of batch) fence.sessions.delete(session.pid);
    } catch {
      failures += 1;
      if (Date.now() > giveUpAt) {
        fence.sessions.clear();
        return;
      }
      await new Promise((r) => setTimeout(r, retryDelayMs(failures, 250, 5_000)).unref());
    }
  }
}

async function terminate(connectionString: string, sessions: LostSession[]): Promise<void> {
  const client = new pg.Client({
    connectionString,
    application_name: 'session-fence',
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    query_timeout: 15_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // Waits up to 5 s for each to end; false when one did not, and the round is tried again.
    const { rows } = await client.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(a.pid, 5000) AS ended
         FROM pg_stat_activity a
         JOIN unnest($1::int[], $2::text[]) AS lost(pid, name)
           ON a.pid = lost.pid AND a.application_name = lost.name`,
      [sessions.map((s) => s.pid), sessions.map((s) => s.applicationName)],
    );
    if (!rows.every((row) => row.ended)) throw new Error('a lost session did not end yet');
  } finally {
    await client.end().catch(() => undefined);
  }
}
