import pg from 'pg';

/**
 * What the database did while a run of appends was timed: how much WAL each append wrote and
 * how much of it were full-page images (the first change of a page after a checkpoint logs the
 * whole 8 KB page), how many blocks had to come from outside shared buffers, whether a
 * checkpoint ran, and how often an autovacuum worker was busy. B5 reports these beside the
 * latencies, so a change of latency with the store's size has a measured cause.
 */
export interface AppendConditions {
  readonly walBytesPerAppend: number;
  readonly fullPageImagesPerAppend: number;
  readonly blocksReadPerAppend: number;
  readonly checkpoints: number;
  /** Share of 50 ms samples in which an autovacuum worker was running. */
  readonly autovacuumShare: number;
}

interface Counters {
  lsn: string;
  fpi: number;
  blocksRead: number;
  checkpoints: number;
}

// Other backends publish their statistics at most once a second, and an idle one only after
// 10 s (PGSTAT_IDLE_INTERVAL); the LSN is exact at once.
export const STATISTICS_SETTLE_MS = 11_000;

async function counters(client: pg.Client): Promise<Counters> {
  const { rows } = await client.query<{
    lsn: string;
    fpi: string;
    blocks_read: string;
    checkpoints: string;
  }>(
    `SELECT pg_current_wal_lsn()::text AS lsn,
            (SELECT wal_fpi FROM pg_stat_wal)::text AS fpi,
            (SELECT blks_read FROM pg_stat_database WHERE datname = current_database())::text
              AS blocks_read,
            (SELECT num_timed + num_requested FROM pg_stat_checkpointer)::text AS checkpoints`,
  );
  const row = rows[0];
  return {
    lsn: row.lsn,
    fpi: Number(row.fpi),
    blocksRead: Number(row.blocks_read),
    checkpoints: Number(row.checkpoints),
  };
}

/**
 * Runs `appends` (which makes `count` appends) and measures the conditions around it. Without
 * the wait for statistics (smoke runs) the page and block counts are incomplete.
 */
export async function withAppendConditions<T>(
  databaseUrl: string,
  count: number,
  appends: () => Promise<T>,
  settleMs = STATISTICS_SETTLE_MS,
): Promise<{ result: T; conditions: AppendConditions }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await new Promise((r) => setTimeout(r, settleMs));
    const before = await counters(client);
    let samples = 0;
    let busy = 0;
    let sampling = true;
    const sampler = (async () => {
      const watcher = new pg.Client({ connectionString: databaseUrl });
      await watcher.connect();
      try {
        while (sampling) {
          const { rows } = await watcher.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'",
          );
          samples += 1;
          if (rows[0].n > 0) busy += 1;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await watcher.end();
      }
    })();
    let result: T;
    try {
      result = await appends();
    } finally {
      sampling = false;
      await sampler;
    }
    const lsnAfter = (
      await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')
    ).rows[0].lsn;
    await new Promise((r) => setTimeout(r, settleMs));
    const after = await counters(client);
    const { rows } = await client.query<{ bytes: string }>(
      'SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS bytes',
      [lsnAfter, before.lsn],
    );
    return {
      result,
      conditions: {
        walBytesPerAppend: Number(rows[0].bytes) / count,
        fullPageImagesPerAppend: (after.fpi - before.fpi) / count,
        blocksReadPerAppend: (after.blocksRead - before.blocksRead) / count,
        checkpoints: after.checkpoints - before.checkpoints,
        autovacuumShare: samples === 0 ? 0 : busy / samples,
      },
    };
  } finally {
    await client.end();
  }
}

/** Brings the database to rest: statistics and visibility maps current, dirty pages written. */
export async function settle(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
