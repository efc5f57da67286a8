import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../config/app.config.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { AppModule } from '../app.module.js';
import { AuditService } from '../audit/audit.service.js';
import { TamperEvidenceService } from '../audit/tamper-evidence.service.js';
import { createInfrastructure } from '../core/infrastructure.js';
import { INFRASTRUCTURE_OPTIONS } from '../read-models.js';

const USAGE = `Usage: npm run audit -- replay <familyId> [--as-of <ISO time>]
  Prints the family and its plan as they were at that moment (default: now), as an auditor
  sees them (pseudonymised). The replay is logged in the access log under AUDITOR_ID.
       npm run audit -- verify
  Checks the whole store against its seals (as GET /audit/verification), with progress, and
  prints the result; exits 0 when the store verifies, 1 when it does not.`;

type Command = { command: 'replay'; familyId: string; asOf: Date } | { command: 'verify' };

function parse(argv: string[]): Command | undefined {
  const [command, familyId, ...rest] = argv;
  if (command === 'verify' && familyId === undefined) return { command };
  if (command !== 'replay' || !familyId) return undefined;
  const flag = rest.indexOf('--as-of');
  const asOf = flag >= 0 ? new Date(rest[flag + 1] ?? '') : new Date();
  return Number.isNaN(asOf.getTime()) ? undefined : { command, familyId, asOf };
}

/** Progress on stderr: a bar on a terminal, a line every 10,000 events in a log. */
function progress(label: string) {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} events`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let logged = 0;
  return {
    update(done: number, total: number) {
      if (!process.stderr.isTTY) {
        if (done - logged >= 10_000 || done === total) {
          console.error(`${label} [${done}/${total} events]`);
          logged = done;
        }
        return;
      }
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(Math.max(total, done));
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Written to a pipe, stdout is asynchronous: wait for it before the process exits. */
const print = (value: unknown) =>
  new Promise<void>((done) =>
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`, () => done()),
  );

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // The CLI reads the stores: no background projections, timers, sealing or demo data here.
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
  try {
    if (args.command === 'verify') {
      // The total is the tree's size: what the seals can vouch for (the store may hold more).
      const [{ size }] = (await infra.dataSource.query('SELECT size FROM merkle_log')) as Array<{
        size: string;
      }>;
      const shown = progress('verify');
      const result = await app
        .get(TamperEvidenceService)
        .verifyStore(auditor, (events) => shown.update(events, Number(size)));
      shown.stop();
      await print(result);
      return result.valid ? 0 : 1;
    }
    const shown = progress('replay');
    const state = await app
      .get(AuditService)
      .stateAsOf(
        args.familyId,
        args.asOf,
        auditor,
        { ip: 'local', userAgent: 'audit-cli', client: 'audit-cli', correlationId: randomUUID() },
        (done, total) => {
          // Long replays show progress; short ones only print the state.
          if (total >= 5000) shown.update(done, total);
        },
      );
    shown.stop();
    await print(state);
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
