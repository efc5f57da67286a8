import type { DataSource } from 'typeorm';

/** Every row of every table in schema public, as text: what a database dump would contain. */
export async function dump(dataSource: DataSource): Promise<string> {
  const tables: Array<{ tablename: string }> = await dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const parts: string[] = [];
  for (const { tablename } of tables) {
    const rows: Array<{ row: string }> = await dataSource.query(
      `SELECT t::text AS row FROM "${tablename}" t`,
    );
    parts.push(`-- ${tablename}`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}
