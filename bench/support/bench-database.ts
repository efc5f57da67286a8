/**
 * The generator's connection: asynchronous commit for its own session only, so filling a bench
 * database is bound by the event store's work, not by waiting for each WAL flush. Measurements
 * use the plain URL (synchronous commit, as in production).
 */
export function withAsyncCommit(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

/** Events per family in the scales' data sets (S: 500,000 events over 5,000 families). */
export const EVENTS_PER_FAMILY = 100;
