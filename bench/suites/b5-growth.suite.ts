import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AdjustableClock } from '#libs/clock/index.js';
import type { NewEvent } from '#libs/event-store/event-envelope.js';
import { newEventId } from '#libs/event-store/event-id.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/configure-app.js';
import type { Infrastructure } from '../../src/core/infrastructure.js';
import { GezinsplanType, type Gezinsplan } from '../../src/plans/plan.aggregate.js';
import {
  benchInfrastructure,
  generateDataSet,
  type GeneratedFamily,
  type GeneratedTeam,
} from '../generator/generate-data-set.js';
import { EVENTS_PER_FAMILY, withAsyncCommit } from '../support/bench-database.js';
import {
  goal,
  type BenchContext,
  type Measurement,
  type Suite,
  type SuiteResult,
} from '../support/bench-context.js';
import { latencyMeasurements, percentile, round, sampleLatency } from '../support/stats.js';
import {
  settle,
  STATISTICS_SETTLE_MS,
  withAppendConditions,
  type AppendConditions,
} from '../support/append-conditions.js';
import type { Sealed } from '#libs/personal-data/sealed.js';

const APPENDS = 500;
/** What the team dashboard reads: the figures the team-dashboard projection keeps. */
const DASHBOARD_PROJECTIONS = ['team-dashboard'];
const DASHBOARD_READS = 50;
/** Distinct plan streams the appends go to (round robin). */
const APPEND_STREAMS = 50;

interface LevelResult {
  readonly level: number;
  readonly events: number;
  readonly families: number;
  readonly teamFamilies: number;
  readonly fillRate: number;
  readonly catchUpSeconds: number;
  readonly appendMs: number[];
  readonly appendConditions?: AppendConditions;
  /** The same appends once the database is at rest (VACUUM (ANALYZE), CHECKPOINT). */
  readonly settledAppendMs: number[];
  readonly settledConditions?: AppendConditions;
  readonly dashboardMs: number[];
}

/** An append run's latencies (to the microsecond) and what the database did meanwhile. */
function appendRows(
  subject: string,
  samples: readonly number[],
  c: AppendConditions | undefined,
): Measurement[] {
  const latency: Measurement[] = [
    { subject, metric: 'p50', value: round(percentile(samples, 50), 3), unit: 'ms' },
    { subject, metric: 'p99', value: round(percentile(samples, 99), 3), unit: 'ms' },
  ];
  if (!c) return latency;
  return [
    ...latency,
    { subject, metric: 'WAL per append', value: round(c.walBytesPerAppend), unit: 'B' },
    {
      subject,
      metric: 'full-page images per append',
      value: round(c.fullPageImagesPerAppend, 2),
      unit: 'pages',
    },
    {
      subject,
      metric: 'blocks read per append',
      value: round(c.blocksReadPerAppend, 2),
      unit: 'blocks',
    },
    { subject, metric: 'checkpoints during the run', value: c.checkpoints, unit: 'checkpoints' },
    {
      subject,
      metric: 'autovacuum running',
      value: round(100 * c.autovacuumShare),
      unit: '% of samples',
    },
  ];
}

/** The product over HTTP in this process: projections driven by hand, no timers, no demo. */
async function startApp(infra: Infrastructure): Promise<{ app: INestApplication; base: string }> {
  const app = configureApp(
    await NestFactory.create(AppModule.forRoot(infra), { bodyParser: false, bufferLogs: true }),
    infra,
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}` };
}

async function devToken(base: string, team: GeneratedTeam): Promise<string> {
  const response = await fetch(`${base}/api/v1/dev/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...team.professionals[0],
      roles: ['professional'],
      teams: [team.teamId],
    }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * Single-event appends with the concurrency check, through the event store port: a progress
 * note decided by the plan aggregate (loaded and sealed untimed), appended at its loaded version.
 */
async function appendLatencies(
  infra: Infrastructure,
  families: readonly GeneratedFamily[],
): Promise<number[]> {
  const active = families.filter((f) => f.planStatus === 'agreed' || f.planStatus === 'draft');
  const chosen = active.slice(0, APPEND_STREAMS);
  const plans = new Map<string, { plans: Gezinsplan; text: Sealed }>();
  for (const f of chosen) {
    plans.set(f.familyId, {
      plans: (await infra.repository.load(GezinsplanType, f.familyId)) as Gezinsplan,
      text: await infra.vault.seal(f.familyId, 'Voortgang besproken (bench B5)'),
    });
  }
  const samples: number[] = [];
  for (let i = 0; i < APPENDS; i += 1) {
    const family = chosen[i % chosen.length];
    const { plans: aggregate, text } = plans.get(family.familyId)!;
    const now = infra.clock.now();
    aggregate.addNote(
      { noteId: crypto.randomUUID(), goalId: null, text, evaluation: false },
      {
        family: { members: [], networkIds: [], caseTeam: [] },
        now,
        actorId: family.casusregisseurSub,
        maxActiveGoals: 7,
      },
    );
    const [decided] = aggregate.getUncommittedEvents();
    const event: NewEvent = {
      type: decided.type,
      data: decided.data,
      metadata: {
        eventId: newEventId(),
        correlationId: crypto.randomUUID(),
        actor: { userId: family.casusregisseurSub, role: 'professional' },
        occurredAt: now.toISOString(),
        municipality: infra.config.MUNICIPALITY,
      },
    };
    const start = process.hrtime.bigint();
    const result = await infra.eventStore.appendToStream(`gezinsplan-${family.familyId}`, [event], {
      expectedVersion: aggregate.version,
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    aggregate.version = result.nextExpectedVersion;
    aggregate.uncommit();
  }
  return samples;
}

/**
 * B5: one database grown in steps by the generator; at each size the latency of a single append
 * (with its concurrency check) and of the team dashboard (GET /api/v1/teams/{id}/dashboard over
 * HTTP, projections caught up first), plus how fast it filled and how long catching up took.
 */
export const b5GrowthSuite: Suite = {
  id: 'B5',
  title: 'Growth',
  async run(ctx: BenchContext): Promise<SuiteResult> {
    const databaseUrl = await ctx.createDatabase('b5');
    // Filling goes through its own connection with asynchronous commit; measurements use the
    // product's (synchronous) settings. Both clocks are kept at the generator's simulated time.
    const filler = await benchInfrastructure(withAsyncCommit(databaseUrl));
    const infra = await benchInfrastructure(databaseUrl, { PROJECTIONS_ENABLED: false });
    const { app, base } = await startApp(infra);
    const runner = app.get(ProjectionRunner);
    const levels: LevelResult[] = [];
    const families: GeneratedFamily[] = [];
    let team: GeneratedTeam | undefined;
    let events = 0;
    // Tiny data says nothing about pages; smoke runs do not wait for the statistics.
    const statisticsWait = ctx.scale.name === 'smoke' ? 0 : STATISTICS_SETTLE_MS;
    try {
      for (const level of ctx.scale.growthLevels) {
        const target = level - events;
        if (target > 0) {
          const data = await generateDataSet(filler, {
            families: Math.max(1, Math.round(target / EVENTS_PER_FAMILY)),
            targetEvents: target,
            seed: 5,
            firstFamily: families.length,
            log: (m) => ctx.log(`B5 ${m}`),
          });
          families.push(...data.families);
          events += data.events;
          // The team whose dashboard is read: the biggest after the first step, then kept.
          team ??= data.teams
            .map((t) => ({ t, n: data.families.filter((f) => f.teamId === t.teamId).length }))
            .sort((a, b) => b.n - a.n)[0].t;
          (infra.clock as AdjustableClock).set(filler.clock.now());
          levels.push({
            level,
            events,
            families: families.length,
            teamFamilies: families.filter((f) => f.teamId === team!.teamId).length,
            fillRate: data.eventsPerSecond,
            catchUpSeconds: 0,
            appendMs: [],
            settledAppendMs: [],
            dashboardMs: [],
          });
        }
        const current = levels[levels.length - 1] as {
          -readonly [K in keyof LevelResult]: LevelResult[K];
        };
        const catchUp = process.hrtime.bigint();
        // The dashboard's read models, all at once, as a server runs them (each in its loop).
        await Promise.all(DASHBOARD_PROJECTIONS.map((name) => runner.catchUp(name)));
        current.catchUpSeconds = Number(process.hrtime.bigint() - catchUp) / 1e9;
        const token = await devToken(base, team!);
        const url = `${base}/api/v1/teams/${team!.teamId}/dashboard`;
        const read = async () => {
          const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
          if (!response.ok) throw new Error(`dashboard: ${response.status}`);
          await response.json();
        };
        await read(); // warm-up: first request compiles routes and fills caches
        current.dashboardMs = await sampleLatency(DASHBOARD_READS, read);
        const timedAppends = () =>
          withAppendConditions(
            databaseUrl,
            APPENDS,
            () => appendLatencies(infra, families),
            statisticsWait,
          );
        const asFilled = await timedAppends();
        current.appendMs = asFilled.result;
        current.appendConditions = asFilled.conditions;
        events += APPENDS;
        await settle(databaseUrl);
        const settled = await timedAppends();
        current.settledAppendMs = settled.result;
        current.settledConditions = settled.conditions;
        events += APPENDS;
        ctx.log(
          `B5: ${current.events} events: append p50 ${percentile(current.appendMs, 50).toFixed(2)} ms, ` +
            `dashboard p50 ${percentile(current.dashboardMs, 50).toFixed(1)} ms ` +
            `(${current.teamFamilies} families in the team), catch-up ${current.catchUpSeconds.toFixed(1)} s`,
        );
      }
    } finally {
      await app.close();
      await infra.close();
      await filler.close();
    }
    const first = levels[0];
    const last = levels[levels.length - 1];
    const p50 = (samples: number[]) => percentile(samples, 50);
    const appendRatio = p50(last.appendMs) / p50(first.appendMs);
    const dashboardRatio = p50(last.dashboardMs) / p50(first.dashboardMs);
    const measurements: Measurement[] = levels.flatMap((l) => {
      const at = `at ${l.events} events`;
      return [
        ...appendRows(`append ${at}`, l.appendMs, l.appendConditions),
        ...appendRows(`append ${at}, settled`, l.settledAppendMs, l.settledConditions),
        ...latencyMeasurements(`dashboard ${at}`, l.dashboardMs),
        {
          subject: `dashboard ${at}`,
          metric: 'families in the team',
          value: l.teamFamilies,
          unit: 'families',
        },
        {
          subject: `fill to ${l.events} events`,
          metric: 'throughput',
          value: round(l.fillRate),
          unit: 'events/s',
        },
        {
          subject: `catch-up at ${l.events} events`,
          metric: 'duration',
          value: round(l.catchUpSeconds),
          unit: 's',
        },
      ];
    });
    return {
      id: 'B5',
      title: 'Growth',
      measurements,
      goals: [
        goal(
          'append p50 at largest level ≤ 1.5 × at smallest',
          round(appendRatio, 3),
          1.5,
          'at-most',
        ),
        goal(
          'dashboard p50 at largest level ≤ 1.5 × at smallest',
          round(dashboardRatio, 3),
          1.5,
          'at-most',
        ),
      ],
      notes: [
        `One database grown by the generator (seed 5, about ${EVENTS_PER_FAMILY} events per ` +
          `family) to ${levels.map((l) => l.events).join(', ')} events; ${last.families} families.`,
        `Append: ${APPENDS} single-event appends (a progress note decided by the plan ` +
          'aggregate) through the event store port, each at its exact expected version, round ' +
          `robin over ${APPEND_STREAMS} active plan streams; synchronous commit as in production ` +
          '(the generator fills with asynchronous commit on its own connection). Measured twice ' +
          'per level: right after the fill and catch-up, as the database is then, and settled ' +
          '(after VACUUM (ANALYZE) and CHECKPOINT). Beside each: WAL bytes per append (exact, ' +
          'from the WAL position), full-page images and blocks read from outside shared buffers ' +
          'per append (cumulative statistics, read 11 s after the appends so every backend has ' +
          'published them, so they include that wait), checkpoints during the run, and the ' +
          'share of 50 ms samples with an autovacuum worker running.',
        `Dashboard: ${DASHBOARD_READS} sequential GET /api/v1/teams/{id}/dashboard over HTTP of ` +
          `an in-process app, as a professional of ${team?.name}, after the projections it reads ` +
          `(${DASHBOARD_PROJECTIONS.join(', ')}) caught up, all at once as a server runs them; ` +
          'the catch-up time is listed per level (timers, notifications and erasure requests are ' +
          'left behind: B2 times those). The dashboard reads the figures the projection keeps: ' +
          "a few rows of the team, whatever the team's size.",
        'The dashboard goal uses the same 1.5 × target as the append goal (our choice).',
      ],
    };
  },
};
