import type { Measurement } from './bench-context.js';
import type { LoadResult } from './load-result.js';
import { KINDS } from './mixed-workload.js';
import { percentile, round } from './stats.js';

/** A load run and the CPU the server and PostgreSQL spent on it. */
export interface Run {
  readonly result: LoadResult;
  readonly serverCpuMs: number;
  /** Undefined when PostgreSQL is not on this machine. */
  readonly postgresCpuMs?: number;
}

export function runMeasurements(subject: string, when: string, run: Run): Measurement[] {
  const r = run.result;
  const perRequest = (ms: number) => round(ms / Math.max(1, r.responses), 3);
  return [
    { subject, metric: `throughput ${when}`, value: round(r.rps, 0), unit: 'req/s' },
    { subject, metric: `p50 ${when}`, value: round(r.p50), unit: 'ms' },
    { subject, metric: `p99 ${when}`, value: round(r.p99), unit: 'ms' },
    { subject, metric: `non-2xx ${when}`, value: r.non2xx, unit: 'responses' },
    { subject, metric: `no answer ${when}`, value: r.errors, unit: 'requests' },
    {
      subject,
      metric: `server CPU per request ${when}`,
      value: perRequest(run.serverCpuMs),
      unit: 'ms',
    },
    ...(run.postgresCpuMs === undefined
      ? []
      : [
          {
            subject,
            metric: `PostgreSQL CPU per request ${when}`,
            value: perRequest(run.postgresCpuMs),
            unit: 'ms',
          },
        ]),
  ];
}

/** Per kind of request: alone (one at a time, no load) and in the paced half-load run. */
export function kindMeasurements(
  alone: ReadonlyMap<string, number[]>,
  halfLoad: LoadResult,
): Measurement[] {
  const out: Measurement[] = [];
  for (const kind of KINDS) {
    const subject = `mixed: ${kind}`;
    const single = alone.get(kind) ?? [];
    out.push({ subject, metric: 'p50 alone', value: round(percentile(single, 50)), unit: 'ms' });
    const t = halfLoad.byKind.get(kind);
    if (!t) continue;
    out.push(
      {
        subject,
        metric: 'p50 at half load',
        value: round(percentile(t.latencies, 50)),
        unit: 'ms',
      },
      {
        subject,
        metric: 'p99 at half load',
        value: round(percentile(t.latencies, 99)),
        unit: 'ms',
      },
    );
  }
  return out;
}
