import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { openDataSource } from '../database/data-source.js';
import { ERASED, PersonalDataVault } from './personal-data-vault.js';

describe('PersonalDataVault key loading', () => {
  let dataSource: DataSource;
  const masterKey = randomBytes(32);

  beforeAll(async () => {
    dataSource = await openDataSource(await createTestDatabase('vault'), []);
  });
  afterAll(async () => dataSource?.destroy());

  /** The same data source, counting the queries that read a subject's key. */
  function counted(): { source: DataSource; keyReads: () => number } {
    let reads = 0;
    const source = Object.create(dataSource) as DataSource;
    source.query = ((sql: string, params?: unknown[]) => {
      if (sql.includes('FROM subject_keys')) reads += 1;
      return dataSource.query(sql, params);
    }) as DataSource['query'];
    return { source, keyReads: () => reads };
  }

  it('opens many texts of one subject with a cold cache by reading its key once', async () => {
    const subject = randomUUID();
    const writer = new PersonalDataVault(dataSource, masterKey);
    const sealed = await Promise.all(
      Array.from({ length: 40 }, (_, i) => writer.seal(subject, `note ${i}`)),
    );
    const { source, keyReads } = counted();
    const reader = new PersonalDataVault(source, masterKey);

    const opened = await Promise.all(sealed.map((text) => reader.open(text)));

    expect(opened).toEqual(sealed.map((_, i) => `note ${i}`));
    expect(keyReads()).toBe(1);
  });

  it('reads the keys of many subjects wanted at once with one statement', async () => {
    const subjects = Array.from({ length: 12 }, () => randomUUID());
    const writer = new PersonalDataVault(dataSource, masterKey);
    const sealed = await Promise.all(subjects.map((s, i) => writer.seal(s, `lid ${i}`)));
    const never = `pd1:${randomUUID()}:AAAA`;
    const shredded = randomUUID();
    const gone = await writer.seal(shredded, 'weg');
    await writer.shred(shredded);
    const { source, keyReads } = counted();
    const reader = new PersonalDataVault(source, masterKey);

    const opened = await Promise.all([...sealed, gone, never].map((text) => reader.open(text)));

    expect(opened).toEqual([...subjects.map((_, i) => `lid ${i}`), ERASED, ERASED]);
    expect(keyReads()).toBe(1);
  });

  it('keeps a shredded key shredded when a load was in flight during the shred', async () => {
    const subject = randomUUID();
    const vault = new PersonalDataVault(dataSource, masterKey);
    const sealed = await vault.seal(subject, 'geheim');
    // The key's read answers before the shred, but arrives after it.
    const slow = Object.create(dataSource) as DataSource;
    slow.query = (async (sql: string, params?: unknown[]) => {
      const rows = await dataSource.query(sql, params);
      if (sql.startsWith('SELECT wrapped_key')) await new Promise((r) => setTimeout(r, 200));
      return rows;
    }) as DataSource['query'];
    const cold = new PersonalDataVault(slow, masterKey);

    const racing = cold.open(sealed);
    await new Promise((r) => setTimeout(r, 50));
    await cold.shred(subject);
    await racing;

    expect(await cold.open(sealed)).toBe(ERASED);
  });
});
