import pg from 'pg';
import { payloadSizes } from '../support/append-payload.js';
import {
  productSubject,
  productWithMerkleLogSubject,
  rawInsertSubject,
  MERKLE_BATCH_SIZE,
  WriterStreams,
  type AppendSubject,
} from '../support/append-subjects.js';
import { goal, type BenchContext, type Measurement, type Suite } from '../support/bench-context.js';
import { emmettSubject } from '../support/emmett-store.js';
import { elapsedMs, latencyMeasurements, round } from '../support/stats.js';

const WRITERS = 16;
/** Every subject gets a pool with a connection per writer, so nobody queues for one. */
const POOL_SIZE = WRITERS;
/** Rounds with the order rotated, so no subject always runs first (cold) or last (bloated). */
const ROUNDS = 3;

type Subject = AppendSubject & { enter?(): void; leave?(): void | Promise<void> };

interface Tally {
  readonly latencies: number[];
  readonly roundRates: number[];
  appends: number;
  ms: number;
}

/** All writers at once, each `appends` in sequence on its own stream; returns milliseconds. */
async function phase(subject: Subject, appends: number, latencies?: number[]): Promise<number> {
  subject.enter?.();
  try {
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < appends; i += 1) {
          const t = process.hrtime.bigint();
          await subject.append(writer);
          latencies?.push(elapsedMs(t));
        }
      }),
    );
    return elapsedMs(start);
  } finally {
    // After the writers' time is taken: what leave() waits for is not in the throughput.
    await subject.leave?.();
  }
}

/** `total` split into ROUNDS parts that add up to it. */
const splitRounds = (total: number) =>
  Array.from({ length: ROUNDS }, (_, r) => Math.floor((total * (r + 1)) / ROUNDS))
    .map((end, r, ends) => end - (r === 0 ? 0 : ends[r - 1]))
    .filter((n) => n > 0);

async function serverSettings(adminUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings
        WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay')`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  } finally {
    await client.end();
  }
}

async function run(ctx: BenchContext) {
  const streams = new WriterStreams(WRITERS);
  const subjects: Subject[] = [];
  let followed: Awaited<ReturnType<typeof productWithMerkleLogSubject>> | undefined;
  const admin = new pg.Client({ connectionString: ctx.adminUrl });
  await admin.connect();
  try {
    subjects.push(
      await productSubject(await ctx.createDatabase('b1_egep'), streams, POOL_SIZE),
      await rawInsertSubject(await ctx.createDatabase('b1_raw'), streams, POOL_SIZE),
      await emmettSubject(await ctx.createDatabase('b1_emmett'), streams, POOL_SIZE),
      (followed = await productWithMerkleLogSubject(
        await ctx.createDatabase('b1_merkle'),
        streams,
        POOL_SIZE,
      )),
    );
    const warmup = Math.max(10, Math.round(ctx.scale.appendsPerWriter / 20));
    for (const subject of subjects) await phase(subject, warmup);
    const tallies = new Map<Subject, Tally>(
      subjects.map((s) => [s, { latencies: [], roundRates: [], appends: 0, ms: 0 }]),
    );
    const rounds = splitRounds(ctx.scale.appendsPerWriter);
    for (const [r, appends] of rounds.entries()) {
      for (let k = 0; k < subjects.length; k += 1) {
        const subject = subjects[(k + r) % subjects.length];
        const tally = tallies.get(subject)!;
        // Flush dirty pages now, so no subject pays for a checkpoint the one before it caused.
        await admin.query('CHECKPOINT');
        const ms = await phase(subject, appends, tally.latencies);
        tally.appends += appends * WRITERS;
        tally.ms += ms;
        tally.roundRates.push((appends * WRITERS * 1000) / ms);
        ctx.log(
          `B1 round ${r + 1}: ${subject.name} ${Math.round((appends * WRITERS * 1000) / ms)}/s`,
        );
      }
    }
    // The warm-up phase is the first of each list; the rounds' phases follow in order.
    const merkle = { lagAtEnd: followed.lagAtEnd.slice(1), catchUpMs: followed.catchUpMs.slice(1) };
    return { tallies, rounds, warmup, merkle, settings: await serverSettings(ctx.adminUrl) };
  } finally {
    for (const subject of subjects) await subject.close().catch(() => undefined);
    await admin.end();
  }
}

export const b1AppendSuite: Suite = {
  id: 'B1',
  title: 'Append',
  async run(ctx) {
    const { tallies, rounds, warmup, merkle, settings } = await run(ctx);
    const measurements: Measurement[] = [];
    const rate = new Map<string, number>();
    for (const [subject, t] of tallies) {
      const perSecond = (t.appends * 1000) / t.ms;
      rate.set(subject.name, perSecond);
      measurements.push(
        {
          subject: subject.name,
          metric: 'throughput',
          value: round(perSecond, 0),
          unit: 'appends/s',
        },
        ...latencyMeasurements(subject.name, t.latencies),
      );
    }
    const egep = rate.get('egep append')!;
    const vsRaw = egep / rate.get('raw INSERT')!;
    const vsEmmett = egep / rate.get('Emmett append')!;
    const withLog = rate.get('egep append + Merkle log')! / egep;
    measurements.push(
      { subject: 'egep / raw INSERT', metric: 'throughput ratio', value: round(vsRaw), unit: '×' },
      { subject: 'egep / Emmett', metric: 'throughput ratio', value: round(vsEmmett), unit: '×' },
      {
        subject: 'egep + Merkle log / egep',
        metric: 'throughput ratio',
        value: round(withLog, 3),
        unit: '×',
      },
      {
        subject: 'egep append + Merkle log',
        metric: 'tree behind the store at phase end (max)',
        value: Math.max(...merkle.lagAtEnd),
        unit: 'events',
      },
      {
        subject: 'egep append + Merkle log',
        metric: 'catch-up after phase end (max)',
        value: round(Math.max(...merkle.catchUpMs), 0),
        unit: 'ms',
      },
    );
    const sizes = payloadSizes(new WriterStreams(1).event(0));
    const perRound = [...tallies]
      .map(([s, t]) => `${s.name} ${t.roundRates.map((x) => Math.round(x)).join(' / ')}`)
      .join('; ');
    return {
      id: 'B1',
      title: 'Append',
      measurements,
      goals: [
        goal('append ≥ 0.7 × raw INSERT', round(vsRaw), 0.7, 'at-least'),
        goal('append ≥ 1.0 × Emmett', round(vsEmmett), 1.0, 'at-least'),
        goal(
          'append with the Merkle log ≥ 0.95 × append without',
          round(withLog, 3),
          0.95,
          'at-least',
        ),
      ],
      notes: [
        `${WRITERS} concurrent writers, each on its own stream, one event per append with the stream's current version as the expected version; ${ctx.scale.appendsPerWriter} appends per writer per subject (${ctx.scale.appendsPerWriter * WRITERS} in all), after a warm-up of ${warmup} per writer.`,
        `Each subject has its own fresh database on the same server and a pg pool of ${POOL_SIZE}. The appends run in ${rounds.length} rounds of ${rounds.join('/')} per writer, the subjects' order rotated each round, with a CHECKPOINT before every phase; throughput is all appends over the summed phase times, latencies are pooled. Per round (appends/s): ${perRound}.`,
        `Server: fsync=${settings.fsync}, synchronous_commit=${settings.synchronous_commit}, wal_sync_method=${settings.wal_sync_method}, commit_delay=${settings.commit_delay}; every append commits on its own, so WAL flushes dominate.`,
        `Payload: a gezinsplan.ProgressNoteAdded with a sealed 120-character note, ${sizes.data} bytes of data and ${sizes.metadata} of metadata as JSON, the same for all four.`,
        'egep: PostgresEventStore behind MeteredEventStore, as src/core/infrastructure.ts builds it: one call of append_events (stream row lock, version check, SHA-256 hash chain) per append, autocommit, then a coalesced pg_notify outside the appending transaction.',
        `egep append + Merkle log: the same append path on its own database, with a MerkleLog (libs/tamper-evidence) following the same store as a server runs it (start(): woken by the store's appends, batches of ${MERKLE_BATCH_SIZE}, one transaction each that writes leaves and nodes) while the writers run; stopped after each phase. The phase's time (what the writers see) is taken before leave(), which then waits until the tree holds every event, so no backlog falls into another subject's phase; the tree's lag when the writers stopped and the time to catch up after are listed (per round: ${merkle.lagAtEnd.join(' / ')} events behind, ${merkle.catchUpMs.map((x) => Math.round(x)).join(' / ')} ms to catch up). No sealer runs (signing is one Ed25519 signature per SEAL_EVERY_EVENTS; B6 measures it).`,
        'raw INSERT: one autocommit INSERT per event into a copy of the events table (same columns, primary key, unique keys and recorded_at index), hash columns filled with fixed bytes, no function, no stream row, no check.',
        "Emmett: @event-driven-io/emmett-postgresql 0.42.0 on a pg pool we own, appendToStream with expectedStreamVersion: BEGIN, SELECT emt_append_to_stream(…), COMMIT (three round trips). Its dumbo replaces pg's global int8/json parsers; they are swapped in only while Emmett runs, so the product is unaffected.",
        'The client (this process) and PostgreSQL share the machine; on a small shared machine the figures move with other load.',
      ],
    };
  },
};
