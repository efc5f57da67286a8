import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { StallProxy } from '../../test/support/stall-proxy.js';
import { connect, createTestDatabase } from '../../test/support/test-database.js';
import { createDataSource, openDataSource } from './data-source.js';
import { lostSessionsEnded } from './session-fence.js';

const PID = 'SELECT pg_backend_pid() AS pid';

describe('a pooled connection that stalls', () => {
  let proxy: StallProxy;
  let dataSource: DataSource;
  let db: pg.Client;

  beforeAll(async () => {
    const url = await createTestDatabase('bounded');
    const target = new URL(url);
    proxy = await StallProxy.start({ host: target.hostname, port: Number(target.port) });
    dataSource = createDataSource(proxy.route(url), [], {
      poolSize: 1,
      timeouts: { statementTimeoutMs: 500, lockTimeoutMs: 500 },
    });
    await dataSource.initialize();
    db = await connect(url);
  });
  afterAll(async () => {
    proxy.resume();
    await dataSource.destroy();
    await proxy.close();
    await db.end();
  });

  it('is dropped from the pool on a read timeout, and its session is ended on the server', async () => {
    const [{ pid: stalledPid }]: Array<{ pid: number }> = await dataSource.query(PID);
    proxy.pauseExisting();

    await expect(dataSource.query('SELECT 1')).rejects.toMatchObject({
      driverError: { message: 'Query read timeout' },
    });
    // The pool's only slot went to a fresh connection: the next query does not queue behind
    // the one that never got an answer (TypeORM hands the client back as if all were well).
    const [{ pid }]: Array<{ pid: number }> = await dataSource.query(PID);
    expect(pid).not.toBe(stalledPid);

    // The stalled session, which the server still thinks is fine, was ended there.
    await lostSessionsEnded();
    const left = await db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [stalledPid]);
    expect(left.rows).toEqual([]);
  });

  it('makes the read-model pool have the server cancel long statements and long lock waits', async () => {
    const url = await createTestDatabase('bounded_ds');
    const dataSource = await openDataSource(url, [], {
      timeouts: { statementTimeoutMs: 300, lockTimeoutMs: 200 },
    });
    const holder = await connect(url);
    try {
      await expect(dataSource.query('SELECT pg_sleep(5)')).rejects.toMatchObject({
        driverError: { code: '57014', message: expect.stringMatching(/statement timeout/) },
      });
      await holder.query('SELECT pg_advisory_lock(4242)');
      await expect(dataSource.query('SELECT pg_advisory_lock(4242)')).rejects.toMatchObject({
        driverError: { code: '55P03' },
      });
    } finally {
      await holder.end();
      await dataSource.destroy();
    }
  });
});
