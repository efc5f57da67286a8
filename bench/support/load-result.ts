import { percentile } from './stats.js';

/** Latencies (ms) and status codes of one kind of request in one run. */
export class Tally {
  readonly latencies: number[] = [];
  readonly statuses = new Map<number, number>();
  non2xx = 0;

  record(status: number, latencyMs: number): void {
    this.latencies.push(latencyMs);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (status < 200 || status > 299) this.non2xx += 1;
  }
}

export interface LoadResult {
  readonly seconds: number;
  readonly responses: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  /** Connection errors and timeouts: requests that got no answer at all. */
  readonly errors: number;
  readonly byKind: ReadonlyMap<string, Tally>;
}

export function summarise(
  byKind: ReadonlyMap<string, Tally>,
  seconds: number,
  errors: number,
): LoadResult {
  const all = [...byKind.values()].flatMap((t) => t.latencies);
  const non2xx = [...byKind.values()].reduce((sum, t) => sum + t.non2xx, 0);
  return {
    seconds,
    responses: all.length,
    rps: all.length / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    non2xx,
    errors,
    byKind,
  };
}

/** "404×3, 409×1" for the notes: which kinds failed and how. */
export function describeFailures(result: LoadResult): string[] {
  return [...result.byKind.entries()]
    .filter(([, t]) => t.non2xx > 0)
    .map(
      ([kind, t]) =>
        `${kind}: ${[...t.statuses.entries()]
          .filter(([s]) => s < 200 || s > 299)
          .map(([s, n]) => `${s}×${n}`)
          .join(', ')}`,
    );
}
