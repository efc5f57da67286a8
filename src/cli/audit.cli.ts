import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config/app.config.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { AppModule } from '../app.module.js';
import { AuditService } from '../audit/audit.service.js';
import { createInfrastructure } from '../core/infrastructure.js';
import { INFRASTRUCTURE_OPTIONS } from '../read-models.js';

const USAGE = `Usage: npm run audit -- replay <familyId> [--as-of <ISO time>]
  Prints the family and its plan as they were at that moment (default: now), as an auditor
  sees them (pseudonymised). The replay is logged in the access log under AUDITOR_ID.`;

function parse(argv: string[]): { familyId?: string; asOf: Date } | undefined {
  const [command, familyId, ...rest] = argv;
  if (command !== 'replay' || !familyId) return undefined;
  const flag = rest.indexOf('--as-of');
  const asOf = flag >= 0 ? new Date(rest[flag + 1] ?? '') : new Date();
  return Number.isNaN(asOf.getTime()) ? undefined : { familyId, asOf };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (!args?.familyId) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // A replay reads the event store: no background projections, timers or demo data here.
  config.PROJECTIONS_ENABLED = false;
  config.TIMER_INTERVAL_MS = 0;
  config.DEMO_DATA = false;
  const infra = await createInfrastructure(config, INFRASTRUCTURE_OPTIONS);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(infra), {
    logger: ['error'],
  });
  const auditor: AuthUser = {
    sub: process.env.AUDITOR_ID ?? 'audit-cli',
    name: process.env.AUDITOR_NAME ?? 'Audit CLI',
    organisation: process.env.AUDITOR_ORGANISATION ?? 'audit',
    roles: ['auditor'],
    teams: [],
  };
  const bar = new cliProgress.SingleBar(
    { format: 'replay [{bar}] {value}/{total} events', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    const state = await app
      .get(AuditService)
      .stateAsOf(
        args.familyId,
        args.asOf,
        auditor,
        { ip: 'local', userAgent: 'audit-cli', client: 'audit-cli', correlationId: randomUUID() },
        (done, total) => {
          // Long replays show progress (a bar on a terminal, lines in a log); short ones only
          // print the state.
          if (total < 5000) return;
          if (!process.stderr.isTTY) {
            console.error(`replay [${done}/${total} events]`);
            return;
          }
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        },
      );
    if (started) bar.stop();
    // Written to a pipe, stdout is asynchronous: wait for it before the process exits.
    await new Promise<void>((done) =>
      process.stdout.write(`${JSON.stringify(state, null, 2)}\n`, () => done()),
    );
    return 0;
  } finally {
    await app.close();
    await infra.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
