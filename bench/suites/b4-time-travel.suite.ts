import { goal, type Measurement, type Suite } from '../support/bench-context.js';
import { latencyMeasurements, percentile, round } from '../support/stats.js';
import { startBenchApp, type BenchApp } from '../support/time-travel-app.js';
import { buildHistory, type History } from '../support/time-travel-history.js';
import { AS_OF_PARTS, AUDITOR, profileAsOf } from '../support/time-travel-profile.js';

/** Reads per reader and breakdown runs; fewer at smoke scale, which only checks the suite runs. */
const READS = { smoke: 10, M: 30, S: 30, L: 30 } as const;
const WARMUP_READS = 3;
const PROFILE_RUNS = { smoke: 3, M: 10, S: 10, L: 10 } as const;

interface Reader {
  readonly subject: string;
  readonly path: string;
  readonly token: string;
  readonly samples: number[];
  /** What the as-of answer said it replayed. */
  replay?: { events: number; fromSnapshotVersion: number | null };
}

/** Waits until the read models have processed the whole history (X-Consistent-After). */
async function caughtUp(bench: BenchApp, history: History, token: string): Promise<number> {
  const start = Date.now();
  for (;;) {
    const answer = await bench.call(
      'GET',
      `/api/v1/families/${history.familyId}/plan`,
      token,
      undefined,
      {
        'X-Consistent-After': history.position,
      },
    );
    if (answer.status === 200) return Date.now() - start;
    if (answer.status !== 503 || Date.now() - start > 300_000) {
      throw new Error(`B4: read models did not catch up: ${answer.status}`);
    }
  }
}

async function read(bench: BenchApp, reader: Reader, record: boolean): Promise<void> {
  const start = process.hrtime.bigint();
  const answer = await bench.call('GET', reader.path, reader.token);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (answer.status !== 200) throw new Error(`B4: GET ${reader.path}: ${answer.status}`);
  if (!record) return;
  reader.samples.push(ms);
  if (typeof answer.body.replayedEvents === 'number') {
    reader.replay = {
      events: answer.body.replayedEvents,
      fromSnapshotVersion: answer.body.fromSnapshotVersion as number | null,
    };
  }
}

export const b4TimeTravelSuite: Suite = {
  id: 'B4',
  title: 'Time travel',
  async run(ctx) {
    const bench = await startBenchApp(await ctx.createDatabase('b4_time_travel'));
    try {
      const history = await buildHistory(bench, ctx.scale.timeTravelEvents, ctx.log);
      const sanne = await bench.token({
        sub: 'prof-sanne',
        name: 'Sanne de Vries',
        organisation: 'SLT Haven',
        roles: ['professional'],
        teams: [history.teamId],
      });
      const auditor = await bench.token({ ...AUDITOR, roles: [...AUDITOR.roles], teams: [] });
      const catchUpMs = await caughtUp(bench, history, sanne);
      const f = `/api/v1/families/${history.familyId}`;
      const current: Reader = {
        subject: 'current plan view',
        path: `${f}/plan`,
        token: sanne,
        samples: [],
      };
      const readers: Reader[] = [
        current,
        { subject: 'current family view', path: f, token: sanne, samples: [] },
        // The same current view through the auditor's lens (metadata only, nothing opened).
        { subject: 'current plan view (auditor)', path: `${f}/plan`, token: auditor, samples: [] },
        ...history.moments.map((m) => ({
          subject: `as of ${m.label} (${m.events} events)`,
          path: `/api/v1/audit/families/${history.familyId}/state?asOf=${encodeURIComponent(m.asOf)}`,
          token: auditor,
          samples: [],
        })),
      ];
      const reads = READS[ctx.scale.name];
      const profileRuns = PROFILE_RUNS[ctx.scale.name];
      // Interleaved, so drift in the machine's load touches every reader alike.
      // The order rotates each round, so no reader always follows the heaviest one (its
      // garbage is collected during the next request).
      for (let i = 0; i < WARMUP_READS + reads; i += 1) {
        for (let k = 0; k < readers.length; k += 1) {
          await read(bench, readers[(i + k) % readers.length], i >= WARMUP_READS);
        }
      }
      const asOf = readers.slice(3);
      const worst = asOf.reduce((a, b) =>
        percentile(b.samples, 50) > percentile(a.samples, 50) ? b : a,
      );
      const worstMoment = history.moments[asOf.indexOf(worst)];
      const profile = await profileAsOf(
        bench,
        history.familyId,
        new Date(worstMoment.asOf),
        profileRuns,
      );
      const [{ n: snapshots }]: Array<{ n: number }> = await bench.infra.dataSource.query(
        'SELECT count(*)::int AS n FROM aggregate_snapshot_history WHERE stream_id = $1',
        [`gezinsplan-${history.familyId}`],
      );

      const ratio = percentile(worst.samples, 50) / percentile(current.samples, 50);
      const measurements: Measurement[] = [
        { subject: 'build history', metric: 'events', value: history.events, unit: 'events' },
        {
          subject: 'build history',
          metric: 'duration',
          value: round(history.buildMs / 1000, 1),
          unit: 's',
        },
        {
          subject: 'build history',
          metric: 'rate',
          value: round((history.commands * 1000) / history.buildMs, 0),
          unit: 'commands/s',
        },
        {
          subject: 'read models catch up after the build',
          metric: 'duration',
          value: catchUpMs,
          unit: 'ms',
        },
        ...readers.flatMap((r) => latencyMeasurements(r.subject, r.samples)),
        {
          subject: `worst as-of / current plan view`,
          metric: 'p50 ratio',
          value: round(ratio),
          unit: '×',
        },
        ...AS_OF_PARTS.map((part) => ({
          subject: `as of ${worstMoment.label}, in process`,
          metric: `${part} (p50)`,
          value: round(profile.parts[part]),
          unit: 'ms',
        })),
      ];
      const replays = asOf
        .map(
          (r, i) =>
            `${history.moments[i].label}: ${r.replay?.events} events from snapshot version ${r.replay?.fromSnapshotVersion}`,
        )
        .join('; ');
      return {
        id: 'B4',
        title: 'Time travel',
        measurements,
        goals: [
          goal('as-of read ≤ 5 × current read (p50, worst moment)', round(ratio), 5, 'at-most'),
        ],
        notes: [
          `One family with ${history.events} events in its family and plan streams, written through the real HTTP command path in ${history.commands} commands over ${history.plans} successive plans (open, casusregie, three goals, four actions, agreement by the parent and the organisation, progress notes, completed actions, goal progress, new versions agreed again, closure; the last plan stays open). At most about 200 events per plan: the plan projection rewrites the whole plan document once per batch, and live that is about once per command, so one plan with thousands of notes would make the build quadratic.`,
          "The domain clock (the infrastructure's AdjustableClock, in process) moves forward before every command, spreading the history over four years; unlike POST /api/v1/dev/clock this fires no timers, so no automatic signals join the history. Snapshots every SNAPSHOT_EVERY=100 events are kept with their time" +
            ` (${snapshots} for the plan stream).`,
          `Reads over HTTP against the app in this process, ${reads} per reader after ${WARMUP_READS} warm-up rounds, interleaved in an order that rotates each round: the current plan and family views as Sanne (casusregisseur on the case, sees every text, opened by the vault), the same plan view as an auditor, and the state as of a moment as that auditor (pseudonymised, metadata only); the goal compares with Sanne's plan view. Every read writes its access-log record. Replayed per moment: ${replays}.`,
          `The in-process breakdown times the steps of AuditService.stateAsOf one by one at the worst moment (median of ${profileRuns}); the snapshot there is ${profile.replayed.snapshotBytes} bytes of JSON (plan state at version ${profile.replayed.snapshotVersion}), followed by ${profile.replayed.events} events. The last line is a check: the same steps with the latest snapshot chosen independently by its numeric version (snapshotAsOf once sorted by a text alias, so "900" beat "8900"): snapshot at version ${profile.proposed.snapshotVersion}, ${profile.proposed.events} events replayed.`,
          'Client and server share this process and the machine with PostgreSQL; on a small shared machine the figures move with other load.',
        ],
      };
    } finally {
      await bench.close();
    }
  },
};
