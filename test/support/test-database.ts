import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabaseIfMissing } from '#libs/database/embedded-postgres.js';

/** Creates a fresh, empty database for one test file and returns its URL. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const admin = process.env.TEST_DATABASE_ADMIN_URL;
  if (!admin) throw new Error('TEST_DATABASE_ADMIN_URL is not set: run the tests through jest');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await createDatabaseIfMissing(admin, name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A raw client for assertions that look at the database itself. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}
