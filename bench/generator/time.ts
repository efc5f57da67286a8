import type { Random } from './random.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A moment during office hours on the day of `ms` (UTC), or the next working day's. */
export function officeHours(ms: number, rng: Random): number {
  let day = Math.floor(ms / DAY) * DAY;
  const weekday = new Date(day).getUTCDay();
  if (weekday === 6) day += 2 * DAY;
  if (weekday === 0) day += DAY;
  const at = day + rng.between(8 * HOUR, 17 * HOUR);
  return Math.max(at, ms);
}

/** A moment between `from` and `deadline` (ISO), at a fraction in [lo, hi) of the way. */
export function before(from: number, deadline: string, rng: Random, lo: number, hi: number) {
  const span = Math.max(10 * MINUTE, Date.parse(deadline) - from);
  return from + Math.max(5 * MINUTE, span * rng.between(lo, hi));
}

/** A normal variate (Box-Muller) from the seeded generator. */
export function gaussian(rng: Random): number {
  const u = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
