import type { Measurement } from './bench-context.js';

/** Small statistics for latency samples (milliseconds). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** Milliseconds since `start` (from process.hrtime.bigint()). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `fn` `times` times in sequence and returns each run's duration in milliseconds. */
export async function sampleLatency(times: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(elapsedMs(start));
  }
  return samples;
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The p50 and p99 rows of one subject's latency samples (ms). */
export function latencyMeasurements(subject: string, samples: readonly number[]): Measurement[] {
  return [
    { subject, metric: 'p50', value: round(percentile(samples, 50)), unit: 'ms' },
    { subject, metric: 'p99', value: round(percentile(samples, 99)), unit: 'ms' },
  ];
}
