import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchEnvironment } from '../generator/generate-data-set.js';
import {
  goal,
  type BenchContext,
  type Measurement,
  type Suite,
  type SuiteResult,
} from '../support/bench-context.js';
import { round } from '../support/stats.js';

/** The product's batch size (PROJECTION_BATCH_SIZE default): the raw read pages the same way. */
const BATCH_SIZE = 500;

const CLI = fileURLToPath(new URL('../../src/cli/projections.cli.js', import.meta.url));
const PRELOAD = new URL('../support/peak-rss.preload.js', import.meta.url).href;

interface RawRead {
  readonly events: number;
  readonly seconds: number;
}

/**
 * The floor a rebuild cannot beat: every event in global order, in batches, through pg, with
 * data and metadata parsed from JSON (node-postgres parses jsonb), doing nothing with them.
 */
async function rawSequentialRead(databaseUrl: string): Promise<RawRead> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    let events = 0;
    let after: [string, string] | undefined;
    for (;;) {
      const { rows } = await client.query<{ tx_text: string; seq_text: string }>(
        `SELECT transaction_id::text AS tx_text, seq::text AS seq_text, stream_id,
                stream_version::text AS stream_version_text, type, schema_version, data,
                metadata, recorded_at
           FROM events
          ${after ? 'WHERE (transaction_id, seq) > ($2::xid8, $3::bigint)' : ''}
          ORDER BY transaction_id, seq LIMIT $1`,
        after ? [BATCH_SIZE, ...after] : [BATCH_SIZE],
      );
      if (rows.length === 0) break;
      events += rows.length;
      const last = rows[rows.length - 1];
      after = [last.tx_text, last.seq_text];
    }
    return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } finally {
    await client.end();
  }
}

/** Bytes on disk per event (table, indexes, TOAST): the figure docs/scaling.md extrapolates. */
async function storageBytesPerEvent(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string; events: string }>(
      `SELECT pg_total_relation_size('events')::text AS bytes, count(*)::text AS events FROM events`,
    );
    return Number(rows[0].bytes) / Math.max(1, Number(rows[0].events));
  } finally {
    await client.end();
  }
}

interface Rebuild {
  readonly wallSeconds: number;
  /** As the CLI prints it: events read and seconds (one line for the one pass of `all`). */
  readonly projections: Array<{ name: string; events: number; seconds: number }>;
  readonly peakRssKiB: number;
  /** The projections rebuilt, from the checksum lines. */
  readonly names: string[];
}

/** `projections rebuild all` of the built CLI, in a child process whose peak RSS is recorded. */
async function rebuildAll(databaseUrl: string, log: (m: string) => void): Promise<Rebuild> {
  const dir = mkdtempSync(join(tmpdir(), 'egep-b2-'));
  const rssFile = join(dir, 'peak-rss');
  try {
    const started = process.hrtime.bigint();
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', PRELOAD, CLI, 'rebuild', 'all'], {
        env: {
          ...process.env,
          ...benchEnvironment(databaseUrl),
          LOG_LEVEL: 'warn',
          BENCH_PEAK_RSS_FILE: rssFile,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        for (const line of String(chunk).split('\n'))
          if (/ events in /.test(line)) log(`B2: ${line}`);
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`rebuild exited ${code}: ${stderr}`)),
      );
    });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const projections = [...output.matchAll(/^(\S+): (\d+) events in ([\d.]+) s$/gm)].map(
      ([, name, events, seconds]) => ({ name, events: Number(events), seconds: Number(seconds) }),
    );
    const names = [...output.matchAll(/^(\S+) checksum: [0-9a-f]{64}$/gm)].map(([, name]) => name);
    return {
      wallSeconds,
      projections,
      names,
      peakRssKiB: Number(readFileSync(rssFile, 'utf8')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * B2: rebuilding every read model through the product's own path (the projections CLI,
 * `rebuild all`: every projection replayed from the first event in one pass), against a raw
 * sequential read of the same events, on the same database in the same run.
 */
export const b2RebuildSuite: Suite = {
  id: 'B2',
  title: 'Projection rebuild',
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const { databaseUrl, data } = await ctx.scaleDataSet();
    // Raw read before and after the rebuild: the faster of the two is the floor (warm cache).
    const rawBefore = await rawSequentialRead(databaseUrl);
    ctx.log(`B2: raw read ${rawBefore.events} events in ${rawBefore.seconds.toFixed(2)} s`);
    const rebuild = await rebuildAll(databaseUrl, ctx.log);
    const rawAfter = await rawSequentialRead(databaseUrl);
    const raw = rawAfter.seconds < rawBefore.seconds ? rawAfter : rawBefore;
    const rebuildSeconds = rebuild.projections.reduce((sum, p) => sum + p.seconds, 0);
    const events = raw.events;
    const rawRate = events / raw.seconds;
    const rebuildRate = events / rebuildSeconds;
    const ratio = rebuildRate / rawRate;

    const m = (subject: string, metric: string, value: number, unit: string): Measurement => ({
      subject,
      metric,
      value: round(value),
      unit,
    });
    const measurements: Measurement[] = [
      m('raw sequential read', 'events', events, 'events'),
      m('events table', 'bytes per event on disk', await storageBytesPerEvent(databaseUrl), 'B'),
      m('raw sequential read', 'duration', raw.seconds, 's'),
      m('raw sequential read', 'throughput', rawRate, 'events/s'),
      m('rebuild all read models', 'duration', rebuildSeconds, 's'),
      m('rebuild all read models', 'throughput', rebuildRate, 'events/s'),
      m('rebuild all read models', 'process wall time', rebuild.wallSeconds, 's'),
      m('rebuild all read models', 'peak RSS (child process)', rebuild.peakRssKiB / 1024, 'MiB'),
      m('rebuild / raw read', 'ratio', ratio, '×'),
      // One line per pass: `all` is the figure above; a rebuild of one projection names it.
      ...rebuild.projections
        .filter((p) => p.name !== 'all')
        .map((p) => m(`rebuild ${p.name}`, 'throughput', p.events / p.seconds, 'events/s')),
      m('generator', 'throughput', data.eventsPerSecond, 'events/s'),
    ];
    return {
      id: 'B2',
      title: 'Projection rebuild',
      measurements,
      goals: [goal('rebuild ≥ 0.5 × raw sequential read', round(ratio, 3), 0.5, 'at-least')],
      notes: [
        `Data set: ${data.families.length} families, ${events} events (generator, seed 2, ` +
          `${data.teams.length} Almere teams), in ${data.seconds.toFixed(0)} s.`,
        `Rebuild: \`projections rebuild all\` of the built CLI in a child process: one pass ` +
          `over the events for all ${rebuild.names.length} projections (${rebuild.names.join(', ')}), ` +
          'each writing its own page in its own transaction, into new tables (blue-green) that ' +
          'replace the live ones when caught up. Its throughput is events in the store / the ' +
          'time the CLI prints for the pass and the switch (Nest start-up excluded; the process ' +
          'wall time is listed apart).',
        `Raw read: keyset pages of ${BATCH_SIZE} (the projection batch size) in global order ` +
          '(transaction_id, seq), jsonb parsed by node-postgres; run before and after the ' +
          `rebuild, the faster counted (${rawBefore.seconds.toFixed(2)} s, ` +
          `${rawAfter.seconds.toFixed(2)} s).`,
        'Peak RSS: process.resourceUsage().maxRSS of the rebuild process, written on exit by a ' +
          '--import preload (bench/support/peak-rss.preload.ts).',
      ],
    };
  },
};
