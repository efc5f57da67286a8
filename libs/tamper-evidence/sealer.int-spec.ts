import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { AdjustableClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import { ANY } from '../event-store/expected-version.js';
import { formatPosition } from '../event-store/position.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import { MerkleLog } from './merkle-log.js';
import { SealSigner, verifySeal } from './seal-signer.js';
import type { SealSink, SinkSeal } from './seal-sink.js';
import { parseSealStatement } from './seal-statement.js';
import { Sealer } from './sealer.js';
import { logReaches } from '../../test/support/sealed-store.js';

/** A sink that can be made to refuse, keeping what it took. */
class FlakySink implements SealSink {
  readonly taken: SinkSeal[] = [];
  refusing = false;
  async write(seal: SinkSeal) {
    if (this.refusing) throw new Error('sink unreachable');
    this.taken.push(seal);
  }
}

describe('the sealer', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let sealer: Sealer;
  const sink = new FlakySink();
  const clock = new AdjustableClock();
  const signer = SealSigner.fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
  let log: MerkleLog;
  let appended = 0;
  /** Appends, then waits until the log can read them all (logReaches says why). */
  const append = async (n: number) => {
    const stream = testStream('sealer');
    for (let i = 0; i < n; i += 1) {
      await store.appendToStream(stream, [testEvent('test.Happened', { i })], {
        expectedVersion: ANY,
      });
    }
    appended += n;
    await logReaches(log, appended);
  };

  beforeAll(async () => {
    const url = await createTestDatabase('sealer');
    dataSource = await openDataSource(url, []);
    const schemas = new EventSchemaRegistry();
    schemas.register('test.Happened', 1);
    store = new PostgresEventStore({ connectionString: url, schemas, clock });
    log = new MerkleLog(dataSource, store, { batchSize: 50, pollMs: 20 });
    sealer = new Sealer(dataSource, log, signer, sink, clock, {
      everyEvents: 5,
      intervalMinutes: 60,
    });
  });
  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
  });

  it('seals every event stored up to now, signed over its statement, in the database and the sink', async () => {
    await append(3);
    const seal = await sealer.seal();
    expect(parseSealStatement(seal.statement)).toEqual({
      sealId: seal.sealId,
      size: 3,
      root: seal.root,
      sealedAt: seal.sealedAt,
    });
    expect(verifySeal(seal.statement, seal.signature, signer.publicJwk())).toBe(true);
    expect(await sealer.list()).toEqual([seal]);
    // The sink keeps what was signed; the database also where in the store the seal ends.
    const { upTo, ...signed } = seal;
    expect(sink.taken).toEqual([signed]);
    expect(upTo).toBe(formatPosition((await store.headPosition())!));
  });

  it('seals by itself after SEAL_EVERY_EVENTS events, or once the interval has passed', async () => {
    await append(4);
    expect(await sealer.sealIfDue()).toBeUndefined();
    await append(1);
    expect(await sealer.sealIfDue()).toMatchObject({ size: 8 });
    await append(1);
    expect(await sealer.sealIfDue()).toBeUndefined();
    clock.set(new Date(clock.now().getTime() + 61 * 60_000));
    expect(await sealer.sealIfDue()).toMatchObject({ size: 9 });
    // Nothing new: no seal, however long it has been.
    clock.set(new Date(clock.now().getTime() + 61 * 60_000));
    expect(await sealer.sealIfDue()).toBeUndefined();
  });

  it('keeps a seal the sink refused and hands it over once the sink takes seals again', async () => {
    sink.refusing = true;
    await append(1);
    const kept = await sealer.seal();
    expect(sink.taken.map((s) => s.sealId)).not.toContain(kept.sealId);
    sink.refusing = false;
    const next = await sealer.seal();
    expect(sink.taken.slice(-2).map((s) => s.sealId)).toEqual([kept.sealId, next.sealId]);
  });
});
