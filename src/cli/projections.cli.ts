import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config/app.config.js';
import { formatPosition } from '#libs/event-store/position.js';
import { rebuildBlueGreen } from '#libs/projections/blue-green-rebuild.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { AppModule } from '../app.module.js';
import { createInfrastructure, type Infrastructure } from '../core/infrastructure.js';
import { INFRASTRUCTURE_OPTIONS } from '../read-models.js';

const USAGE = `Usage: npm run projections -- <command>
  status              every projection's checkpoint and state
  rebuild <name|all>  replay every event into new tables while the old ones serve, switch when
                      caught up, print the checksum (--in-place: empty the tables and replay)
  checksum <name>     print the checksum of the read model as it is
  resume <name>       restart a projection that a poison event stopped`;

async function eventTotal(infra: Infrastructure): Promise<number | undefined> {
  if (infra.eventStore.kind !== 'postgres') return undefined;
  const rows: Array<{ n: string }> = await infra.dataSource.query(
    'SELECT count(*)::text AS n FROM events',
  );
  return Number(rows[0].n);
}

async function rebuild(
  runner: ProjectionRunner,
  infra: Infrastructure,
  name: string,
  inPlace: boolean,
): Promise<number> {
  const names = name === 'all' ? runner.names : [name];
  for (const each of names) runner.tablesOf([each]); // an unknown name fails before any work
  const total = await eventTotal(infra);
  const bar = new cliProgress.SingleBar(
    { format: `${name} [{bar}] {value}/{total} events | {eta_formatted} left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0);
  const started = Date.now();
  const onProgress = (events: number) => {
    if (total === undefined || events > total) bar.setTotal(events);
    bar.update(events);
  };
  const result = inPlace
    ? await runner.rebuildAll(names, onProgress)
    : await rebuildBlueGreen(runner, infra.dataSource, names, {
        databaseUrl: infra.databaseUrl,
        timeouts: infra.config.databaseTimeouts,
        onProgress,
      });
  bar.update(result.events);
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  // One pass for all of them: the events are read once, so one line of events and time.
  console.log(`${name}: ${result.events} events in ${seconds.toFixed(1)} s`);
  for (const each of names) {
    if (each in result.failed) console.log(`${each} FAILED: ${result.failed[each]}`);
    else console.log(`${each} checksum: ${result.checksums[each]}`);
  }
  const busy = names.map((n) => `${n} ${result.seconds[n].toFixed(1)} s`).join(', ');
  console.log(`time in each projection's transactions (side by side): ${busy}`);
  if (!inPlace) {
    const { switchMs, switched } = result as Awaited<ReturnType<typeof rebuildBlueGreen>>;
    console.log(`switched to the rebuilt tables in ${switchMs} ms: ${switched.join(', ')}`);
  }
  return Object.keys(result.failed).length > 0 ? 1 : 0;
}

async function run(
  command: string | undefined,
  name: string | undefined,
  flags: string[],
  runner: ProjectionRunner,
  infra: Infrastructure,
) {
  switch (command) {
    case 'status':
      for (const checkpoint of await runner.checkpointStore.all()) {
        const state = checkpoint.status === 'failed' ? `FAILED: ${checkpoint.error}` : 'running';
        console.log(`${checkpoint.name}\tat ${formatPosition(checkpoint.position)}\t${state}`);
      }
      return 0;
    case 'rebuild':
      if (!name) break;
      return rebuild(runner, infra, name, flags.includes('--in-place'));
    case 'checksum':
      if (!name) break;
      console.log(`${name} checksum: ${await runner.checksum(name)}`);
      return 0;
    case 'resume':
      if (!name) break;
      await runner.checkpointStore.resume(name);
      console.log(`${name} resumed; the server picks it up within a second`);
      return 0;
  }
  console.error(USAGE);
  return 2;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const [command, name] = args.filter((a) => !a.startsWith('--'));
  const flags = args.filter((a) => a.startsWith('--'));
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // This process must not start projections in the background: it drives them itself.
  config.PROJECTIONS_ENABLED = false;
  // A maintenance command must not fire timers (the servers do that).
  config.TIMER_INTERVAL_MS = 0;
  const infra = await createInfrastructure(config, INFRASTRUCTURE_OPTIONS);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(infra), {
    logger: ['error'],
  });
  try {
    return await run(command, name, flags, app.get(ProjectionRunner), infra);
  } finally {
    await app.close();
    await infra.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    // TypeORM names the statement that failed: say which, so a timeout points at its cause.
    const query = (error as { query?: unknown }).query;
    if (typeof query === 'string') console.error(`while running: ${query.replace(/\s+/g, ' ')}`);
    process.exit(1);
  },
);
