import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { openDataSource } from '../database/data-source.js';
import { tableDigest } from './table-digest.js';

const ROWS = 3_000;

describe('tableDigest', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openDataSource(await createTestDatabase('table_digest'), []);
    for (const table of ['forward', 'backward', 'edited']) {
      await dataSource.query(`CREATE TABLE ${table} (id int PRIMARY KEY, body text, n bigint)`);
    }
    await dataSource.query(
      `INSERT INTO forward SELECT i, repeat(md5(i::text), 4), i * 7 FROM generate_series(1, $1) i`,
      [ROWS],
    );
    // The same rows in another physical order, after updates and deletes left dead tuples.
    await dataSource.query(
      `INSERT INTO backward SELECT i, 'draft', 0 FROM generate_series($1, 1, -1) i`,
      [ROWS],
    );
    await dataSource.query(`UPDATE backward SET body = repeat(md5(id::text), 4), n = id * 7`);
    await dataSource.query(`INSERT INTO backward VALUES (-1, 'gone', 0)`);
    await dataSource.query(`DELETE FROM backward WHERE id = -1`);
    await dataSource.query(`INSERT INTO edited SELECT * FROM forward`);
    await dataSource.query(`UPDATE edited SET n = n + 1 WHERE id = 1234`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('spans many page ranges and gives what one range gives', async () => {
    const [{ pages }]: Array<{ pages: number }> = await dataSource.query(
      `SELECT (pg_relation_size('forward') / current_setting('block_size')::int)::int AS pages`,
    );
    expect(pages).toBeGreaterThan(10);
    expect(await tableDigest(dataSource, 'forward', 1)).toBe(
      await tableDigest(dataSource, 'forward'),
    );
    expect(await tableDigest(dataSource, 'forward', 3)).toMatch(
      new RegExp(`^${ROWS}:-?\\d+:-?\\d+$`),
    );
  });

  it('does not depend on the rows physical order or dead tuples', async () => {
    expect(await tableDigest(dataSource, 'backward', 2)).toBe(
      await tableDigest(dataSource, 'forward', 5),
    );
  });

  it('changes when one value of one row changes', async () => {
    expect(await tableDigest(dataSource, 'edited')).not.toBe(
      await tableDigest(dataSource, 'forward'),
    );
  });

  it('digests an empty table', async () => {
    await dataSource.query('CREATE TABLE empty (id int)');
    expect(await tableDigest(dataSource, 'empty')).toBe('0:0:0');
  });
});
