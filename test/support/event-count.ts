import type { TestApp } from './test-app.js';

/** How many events the store holds: what a refused command must leave as it was. */
export async function eventCount(t: TestApp): Promise<number> {
  const rows: Array<{ n: string }> = await t.infra.dataSource.query(
    'SELECT count(*)::text AS n FROM events',
  );
  return Number(rows[0].n);
}
