import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#libs/database/data-source.js';

/**
 * A pool whose sessions log in as a role that may read the tables whose names start with
 * `prefix` and nothing else: a query that touches any other table fails (permission denied).
 */
export async function readerOfTables(
  admin: DataSource,
  url: string,
  prefix: string,
): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  if (!/^[a-z_]+$/.test(prefix)) throw new Error(`Unsafe prefix ${prefix}`);
  const role = `${prefix}reader_${randomBytes(4).toString('hex')}`;
  const tables: Array<{ name: string }> = await admin.query(
    `SELECT format('%I', tablename) AS name FROM pg_tables
      WHERE schemaname = current_schema() AND starts_with(tablename, $1)`,
    [prefix],
  );
  if (tables.length === 0) throw new Error(`No tables ${prefix}*`);
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${role}'`);
  await admin.query(`GRANT USAGE ON SCHEMA ${await schemaOf(admin)} TO ${role}`);
  await admin.query(`GRANT SELECT ON ${tables.map((t) => t.name).join(', ')} TO ${role}`);
  const login = new URL(url);
  login.username = role;
  login.password = role;
  const dataSource = createDataSource(login.toString(), [], { poolSize: 2 });
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
    },
  };
}

async function schemaOf(db: DataSource): Promise<string> {
  const [{ schema }]: Array<{ schema: string }> = await db.query(
    "SELECT format('%I', current_schema()) AS schema",
  );
  return schema;
}
