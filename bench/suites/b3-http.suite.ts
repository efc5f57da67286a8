import { kindMeasurements, runMeasurements, type Run } from '../support/b3-measurements.js';
import {
  goal,
  type BenchContext,
  type Measurement,
  type Suite,
  type SuiteResult,
} from '../support/bench-context.js';
import { formatPosition, type Position } from '#libs/event-store/position.js';
import pg from 'pg';
import { BENCH_MASTER_KEY, type DataSet } from '../generator/generate-data-set.js';
import { cannon } from '../support/cannon.js';
import { describeFailures, type LoadResult } from '../support/load-result.js';
import { KINDS, prepareWorkload, type Workload } from '../support/mixed-workload.js';
import { pacedLoad } from '../support/paced-load.js';
import { postgresCpu, processCpuMs } from '../support/process-cpu.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { meanBetween, routeTimes, waitForReadModels } from '../support/server-metrics.js';
import { round, sampleLatency } from '../support/stats.js';

/** Enough in flight to keep a two-core server saturated, as a proxy in front of it would. */
const CONNECTIONS = 32;
const BARE = '/health/live';

async function headPosition(databaseUrl: string): Promise<Position | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ tx: string; seq: string }>(
      `SELECT transaction_id::text AS tx, seq::text AS seq FROM events
        ORDER BY transaction_id DESC, seq DESC LIMIT 1`,
    );
    return rows[0] ? { commit: BigInt(rows[0].tx), prepare: BigInt(rows[0].seq) } : undefined;
  } finally {
    await client.end();
  }
}

interface Prepared {
  readonly server: ServerProcess;
  readonly data: DataSet;
}

/**
 * The generator writes the data set through the app's event store; then the server starts on
 * that database at the end of the simulated period (DEV_CLOCK_START) and its projections
 * build every read model before anything is measured.
 */
async function prepare(context: BenchContext): Promise<Prepared> {
  const { log } = context;
  // The run's shared data set: after B2's rebuild its read models are already caught up.
  const { databaseUrl, data } = await context.scaleDataSet();
  const head = await headPosition(databaseUrl);
  const server = await startServer({
    databaseUrl,
    masterKey: BENCH_MASTER_KEY,
    env: { DEV_CLOCK_START: data.simulatedUntil },
  });
  try {
    const started = Date.now();
    if (head) {
      await waitForReadModels(databaseUrl, head, 3 * 3600_000, log);
      // The server's own judgement, which also knows projections without a checkpoint row yet.
      const confirm = await fetch(`${server.url}/health/live`, {
        headers: { 'x-consistent-after': formatPosition(head) },
      });
      if (!confirm.ok) throw new Error(`read models behind after catch-up: ${confirm.status}`);
    }
    log(
      `B3: read models caught up with ${data.events} events in ${(Date.now() - started) / 1000} s`,
    );
    return { server, data };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Each endpoint alone, one request at a time: what a request costs without queueing. */
async function alone(
  server: ServerProcess,
  workload: Workload,
  times: number,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>();
  for (const kind of KINDS) {
    const latencies = await sampleLatency(times, async () => {
      const r = workload.request(kind);
      const response = await fetch(`${server.url}${r.path}`, {
        method: r.method,
        headers: r.headers,
        body: r.body,
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${kind} alone: ${response.status}`);
    });
    samples.set(kind, latencies);
  }
  return samples;
}

async function run(context: BenchContext): Promise<SuiteResult> {
  const { scale, log } = context;
  const seconds = scale.httpSeconds;
  const warmSeconds = Math.max(1, Math.round(seconds / 3));
  const { server, data } = await prepare(context);
  try {
    const afterCatchUp = server.memory();
    const peakReset = server.resetPeak();
    const workload = await prepareWorkload(server.url, data, { planTargets: 500 });
    const { families, planTargets, plansOpened, viewers } = workload.size;
    log(`B3: ${families} families, ${planTargets} plans take commands, ${viewers} professionals`);
    const url = server.url;
    const pgCpu = await postgresCpu(context.adminUrl);
    const measured = async (load: () => Promise<LoadResult>): Promise<Run> => {
      const [server0, pg0] = [processCpuMs(server.pid), pgCpu?.()];
      const result = await load();
      const [server1, pg1] = [processCpuMs(server.pid), pgCpu?.()];
      const postgresCpuMs = pg0 === undefined || pg1 === undefined ? undefined : pg1 - pg0;
      return { result, serverCpuMs: server1 - server0, postgresCpuMs };
    };

    log('B3: warm-up');
    await cannon({ url, connections: CONNECTIONS, seconds: warmSeconds, path: BARE });
    await cannon({ url, connections: CONNECTIONS, seconds: warmSeconds, next: workload.next });
    const single = await alone(server, workload, scale.name === 'smoke' ? 5 : 50);

    log(`B3: bare endpoint at max, ${CONNECTIONS} connections, ${seconds} s`);
    const bare = await measured(() =>
      cannon({ url, connections: CONNECTIONS, seconds, path: BARE }),
    );
    log('B3: mixed workload at max');
    const routesBefore = await routeTimes(url);
    const mixed = await measured(() =>
      cannon({ url, connections: CONNECTIONS, seconds, next: workload.next }),
    );
    const routesAtMax = meanBetween(routesBefore, await routeTimes(url));
    const rate = Math.max(1, Math.round(mixed.result.rps / 2));
    log(`B3: mixed workload at half load (${rate} req/s), paced`);
    const paced = await measured(() =>
      pacedLoad({ url, connections: CONNECTIONS, seconds, rate, next: workload.next }),
    );
    log(`B3: mixed workload at half load (${rate} req/s), autocannon overallRate`);
    const bursty = await measured(() =>
      cannon({ url, connections: CONNECTIONS, seconds, overallRate: rate, next: workload.next }),
    );
    const afterLoad = server.memory();

    const half = `at half load (${rate} req/s)`;
    const measurements: Measurement[] = [
      ...runMeasurements(`bare endpoint (GET ${BARE})`, 'at max', bare),
      ...runMeasurements('mixed workload', 'at max', mixed),
      ...runMeasurements('mixed workload, paced', half, paced),
      ...runMeasurements('mixed workload, autocannon overallRate', half, bursty),
      ...kindMeasurements(single, paced.result),
      {
        subject: 'server',
        metric: 'peak RSS (VmHWM) of start-up and catch-up',
        value: round(afterCatchUp.peakMiB, 0),
        unit: 'MiB',
      },
      {
        subject: 'server',
        metric: 'RSS before load',
        value: round(afterCatchUp.rssMiB, 0),
        unit: 'MiB',
      },
      {
        subject: 'server',
        metric: peakReset ? 'peak RSS (VmHWM) under load' : 'peak RSS (VmHWM) since start',
        value: round(afterLoad.peakMiB, 0),
        unit: 'MiB',
      },
      {
        subject: 'server',
        metric: 'RSS after load',
        value: round(afterLoad.rssMiB, 0),
        unit: 'MiB',
      },
    ];
    const notes = [
      'Server: dist/src/main.js in its own process; development mode only for its dev tokens (HS256, where production checks RS256 against a cached JWKS); LOG_LEVEL=info as in production (one pino line per request, to a file); timers off; DB_POOL_SIZE default (10).',
      `Data: generator, ${data.families.length} families, ${data.events.toLocaleString('en-US')} events, ${workload.size.families} of the families with a casusregisseur on an SLT team read from; the server's clock at the end of the simulated period. Reads pick a random family and its casusregisseur (full view, 70 %) or an SLT colleague of its team (pseudonyms, 30 %); commands go round-robin over ${planTargets} open plans (${plansOpened} of them opened, with one goal, before the runs, where too few were open), so no two hit one plan at once (no If-Match; an Idempotency-Key on every POST, as clients send). Four partner-organisation reporters file concerns about residents of a random team's first postcode area and read their own (/concerns/mine); intake reads its team's queue; one concern per team is filed before the runs.`,
      'Mix: family view 25 %, plan view 25 %, inbox 10 %, open escalations 10 %, team dashboard 10 % (every read writes its access-log record); progress note 12 %, add action 5 %, register family 3 %.',
      `autocannon ${CONNECTIONS} connections, ${seconds} s per run, after ${warmSeconds} s of warm-up of each workload; half load is half the mixed maximum just measured.`,
      'The goal uses the paced run: an open loop that sends one request every 1/rate s and times it from when it was due, so waiting for a free connection counts. autocannon overallRate sends each connection’s quota for the second as one burst at its start (full load for part of each second, idle for the rest); its figures are shown for comparison.',
      `Load generator, server and PostgreSQL share one ${scale.name === 'smoke' ? 'machine; smoke figures only show that the suite runs' : 'two-core machine'}: throughput is what is left for the server. CPU per request (server process; PostgreSQL postmaster and backends) does not depend on that sharing as much and is the better figure to compare bare and mixed.`,
      `Server time per route in the mixed run at max (mean ms and count, /metrics): ${routesAtMax.map(([route, n, ms]) => `${route} ${round(ms, 1)} (${n})`).join('; ')}.`,
    ];
    const runs = [
      ['bare', bare],
      ['mixed at max', mixed],
      ['mixed paced', paced],
      ['mixed overallRate', bursty],
    ] as const;
    for (const [name, r] of runs) {
      const failures = describeFailures(r.result);
      if (failures.length) notes.push(`Non-2xx in ${name}: ${failures.join('; ')}.`);
    }
    return {
      id: 'B3',
      title: 'HTTP',
      measurements,
      goals: [
        goal(
          'mixed ≥ 0.3 × bare throughput',
          round(mixed.result.rps / bare.result.rps, 3),
          0.3,
          'at-least',
        ),
        goal('mixed p99 at half load < 50 ms', round(paced.result.p99), 50, 'at-most'),
      ],
      notes,
    };
  } finally {
    await server.stop();
  }
}

export const b3HttpSuite: Suite = { id: 'B3', title: 'HTTP', run };
