import pg from 'pg';

/** Server-side request time per route, from the server's own Prometheus histogram. */
export type RouteTimes = Map<string, { count: number; seconds: number }>;

const LINE = /^http_request_duration_seconds_(sum|count)\{([^}]*)\}\s+(\S+)$/;

export async function routeTimes(baseUrl: string): Promise<RouteTimes> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const times: RouteTimes = new Map();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const key = `${labels.method} ${labels.route}`;
    const entry = times.get(key) ?? { count: 0, seconds: 0 };
    if (match[1] === 'sum') entry.seconds += Number(match[3]);
    else entry.count += Number(match[3]);
    times.set(key, entry);
  }
  return times;
}

/** Mean server time (ms) per route between two readings, busiest routes first. */
export function meanBetween(
  before: RouteTimes,
  after: RouteTimes,
): Array<[string, number, number]> {
  const rows: Array<[string, number, number]> = [];
  for (const [route, a] of after) {
    const b = before.get(route) ?? { count: 0, seconds: 0 };
    const count = a.count - b.count;
    if (count > 0) rows.push([route, count, ((a.seconds - b.seconds) / count) * 1000]);
  }
  return rows.sort((x, y) => y[1] - x[1]);
}

interface CheckpointRow {
  name: string;
  commit_pos: string;
  prepare_pos: string;
  status: string;
}

/**
 * Blocks until every projection's checkpoint has reached `head` (from the event store), by
 * reading projection_checkpoints every second. Not X-Consistent-After: a request waiting on it
 * polls every checkpoint every 15 ms, which during a long catch-up takes a large share of the
 * pool and CPU from the projections it waits for.
 */
export async function waitForReadModels(
  databaseUrl: string,
  head: { commit: bigint; prepare: bigint },
  timeoutMs: number,
  log: (message: string) => void,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const deadline = Date.now() + timeoutMs;
  let lastLog = Date.now();
  try {
    for (;;) {
      const { rows } = await client.query<CheckpointRow>(
        'SELECT name, commit_pos::text, prepare_pos::text, status FROM projection_checkpoints',
      );
      const failed = rows.find((r) => r.status === 'failed');
      if (failed) throw new Error(`projection ${failed.name} failed while catching up`);
      const behind = rows.filter((r) => {
        const commit = BigInt(r.commit_pos);
        return (
          commit < head.commit || (commit === head.commit && BigInt(r.prepare_pos) < head.prepare)
        );
      });
      if (rows.length > 0 && behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`read models not caught up in ${timeoutMs} ms`);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        log(
          `B3: catching up to ${head.commit}: ${behind.map((r) => `${r.name} at ${r.commit_pos}`).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await client.end();
  }
}
