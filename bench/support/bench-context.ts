import type { ScaleDataSet } from './scale-data-set.js';

/**
 * What every benchmark suite gets and returns. A suite measures one pair (or set) of things
 * side by side in the same run, on the same database server, and reports how far the product is
 * from its goal. Goals are reported, never asserted: a missed goal is a finding, not a failure.
 */
export type ScaleName = 'smoke' | 'M' | 'S' | 'L';

export interface ScaleSpec {
  readonly name: ScaleName;
  /** Families in the Almere-shaped data set (generator). */
  readonly families: number;
  /** About how many events the data set holds in all. */
  readonly events: number;
  /** B5: store sizes (events) at which append and dashboard latency are measured. */
  readonly growthLevels: readonly number[];
  /** B4: events in the one long-lived family whose past is read. */
  readonly timeTravelEvents: number;
  /** B1: appends per writer (16 writers). */
  readonly appendsPerWriter: number;
  /** B3: seconds per autocannon run. */
  readonly httpSeconds: number;
  /** B6: new events appended, then added to the Merkle log and sealed. */
  readonly sealEvents: number;
}

export const SCALES: Record<ScaleName, ScaleSpec> = {
  smoke: {
    name: 'smoke',
    families: 60,
    events: 6_000,
    growthLevels: [1_000, 3_000, 10_000],
    timeTravelEvents: 300,
    appendsPerWriter: 100,
    httpSeconds: 3,
    sealEvents: 3_000,
  },
  // A fifth of S, for profiling and quick before/after comparisons; never the reported run.
  M: {
    name: 'M',
    families: 1_000,
    events: 100_000,
    growthLevels: [10_000, 100_000],
    timeTravelEvents: 2_000,
    appendsPerWriter: 300,
    httpSeconds: 10,
    sealEvents: 20_000,
  },
  S: {
    name: 'S',
    families: 5_000,
    events: 500_000,
    growthLevels: [10_000, 100_000, 1_000_000],
    timeTravelEvents: 10_000,
    appendsPerWriter: 1_000,
    httpSeconds: 15,
    sealEvents: 100_000,
  },
  L: {
    name: 'L',
    families: 50_000,
    events: 5_000_000,
    growthLevels: [10_000, 100_000, 1_000_000],
    timeTravelEvents: 10_000,
    appendsPerWriter: 2_000,
    httpSeconds: 30,
    sealEvents: 100_000,
  },
};

export interface BenchContext {
  readonly scale: ScaleSpec;
  /** Admin URL (database `postgres`) of the one PostgreSQL server every suite uses. */
  readonly adminUrl: string;
  /** A fresh, empty database on that server; returns its URL. */
  createDatabase(prefix: string): Promise<string>;
  /** Progress on stderr, so a long run shows where it is. */
  log(message: string): void;
  /**
   * The run's synthetic data set at its scale, in a database of its own; generated on first
   * use and shared (bench/support/scale-data-set.ts). Suites may add to it, in run order.
   */
  scaleDataSet(): Promise<ScaleDataSet>;
}

export interface Measurement {
  /** What was measured: "egep append", "raw INSERT", "Emmett append", "bare endpoint", … */
  readonly subject: string;
  /** "events/s", "p99", "rss peak", … */
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

export interface Goal {
  readonly description: string;
  readonly actual: number;
  readonly target: number;
  readonly direction: 'at-least' | 'at-most';
  readonly met: boolean;
}

export interface SuiteResult {
  readonly id: string;
  readonly title: string;
  readonly measurements: Measurement[];
  readonly goals: Goal[];
  /** What a reader must know to trust the figures (data size, settings, caveats). */
  readonly notes: string[];
}

export interface Suite {
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<SuiteResult>;
}

export function goal(
  description: string,
  actual: number,
  target: number,
  direction: Goal['direction'],
): Goal {
  const met = direction === 'at-least' ? actual >= target : actual <= target;
  return { description, actual, target, direction, met };
}
