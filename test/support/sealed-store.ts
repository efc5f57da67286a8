import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from './test-database.js';
import { SystemClock } from '../../libs/clock/index.js';
import { openDataSource } from '../../libs/database/data-source.js';
import { ANY } from '../../libs/event-store/expected-version.js';
import { PostgresEventStore } from '../../libs/event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../../libs/event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../../libs/event-store/upcasting.js';
import { MerkleLog } from '../../libs/tamper-evidence/merkle-log.js';
import { SealSigner } from '../../libs/tamper-evidence/seal-signer.js';
import { DirectorySink } from '../../libs/tamper-evidence/seal-sink.js';
import { Sealer } from '../../libs/tamper-evidence/sealer.js';
import { verifyStore } from '../../libs/tamper-evidence/store-verification.js';

/**
 * Waits until the log, catching up, holds `size` events. The store hides an event while an older
 * transaction anywhere on the server may still commit, and other test files share the server:
 * a seal made right after an append may not cover it yet.
 */
export async function logReaches(log: MerkleLog, size: number) {
  for (const deadline = Date.now() + 10_000; ;) {
    await log.catchUp();
    if ((await log.head()).size >= size) return;
    if (Date.now() > deadline) throw new Error(`the log did not reach ${size} events`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A store with three streams of four events, all sealed, and the means to attack it. */
export async function sealedStore() {
  const url = await createTestDatabase('tamper');
  const dataSource = await openDataSource(url, []);
  const schemas = new EventSchemaRegistry();
  schemas.register('test.Happened', 1);
  const store = new PostgresEventStore({
    connectionString: url,
    schemas,
    clock: new SystemClock(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'egep-seals-'));
  const sink = new DirectorySink(dir);
  const signer = SealSigner.fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
  const log = new MerkleLog(dataSource, store, { batchSize: 5, pollMs: 20 });
  const sealer = new Sealer(dataSource, log, signer, sink, new SystemClock(), {
    everyEvents: 1_000,
    intervalMinutes: 60,
  });
  const streams: string[] = [];
  for (let s = 0; s < 3; s += 1) {
    const stream = testStream('sealed');
    streams.push(stream);
    for (let e = 0; e < 4; e += 1) {
      await store.appendToStream(stream, [testEvent('test.Happened', { s, e })], {
        expectedVersion: ANY,
      });
    }
  }
  // The store hides events while an older transaction anywhere on the server may still commit
  // (other test files share it): seal once the log can read all twelve.
  for (const deadline = Date.now() + 10_000; (await log.catchUp(), (await log.head()).size) < 12;) {
    if (Date.now() > deadline) throw new Error('the log did not reach the appended events');
    await new Promise((r) => setTimeout(r, 20));
  }
  await sealer.seal();
  const events = async (stream: string) =>
    (await store.readStream(stream)).map((e) => ({
      eventId: e.metadata.eventId,
      version: e.streamVersion,
    }));
  return {
    dataSource,
    store,
    sealer,
    signer,
    sink,
    streams,
    /** Seals once the log holds `size` events. */
    async sealAt(size: number) {
      await logReaches(log, size);
      return sealer.seal();
    },
    events,
    async verify() {
      return verifyStore({
        dataSource,
        store,
        seals: await sealer.list(),
        sinkSeals: (await sink.readAll()).seals,
        publicKey: signer.publicJwk(),
        pageSize: 4,
      });
    },
    async close() {
      await store.close();
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What an insider with database access does to cover an edit: the chain recomputed in SQL. */
export async function recomputeChain(dataSource: DataSource, stream: string) {
  await dataSource.query(
    `DO $$
     DECLARE r record; v_prev bytea := NULL; v_hash bytea;
     BEGIN
       FOR r IN SELECT * FROM events WHERE stream_id = '${stream}' ORDER BY stream_version LOOP
         v_hash := event_hash(v_prev, r.event_id, r.stream_id, r.stream_version, r.type,
           r.schema_version, r.data, r.metadata, r.recorded_at);
         UPDATE events SET prev_hash = v_prev, hash = v_hash
           WHERE transaction_id = r.transaction_id AND seq = r.seq;
         v_prev := v_hash;
       END LOOP;
       UPDATE event_streams SET last_hash = v_prev WHERE stream_id = '${stream}';
     END $$`,
  );
}

/** Two events trade places in the global order: every column but the position (which Postgres
 * will not let one update) is swapped. */
export async function swapEvents(dataSource: DataSource, a: string, b: string) {
  const columns =
    'event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
  const [rowA] = await dataSource.query(`SELECT ${columns} FROM events WHERE event_id = $1`, [a]);
  const [rowB] = await dataSource.query(`SELECT ${columns} FROM events WHERE event_id = $1`, [b]);
  const set = `event_id = $1, stream_id = $2, stream_version = $3, type = $4, schema_version = $5,
    data = $6, metadata = $7, recorded_at = $8, prev_hash = $9, hash = $10`;
  const values = (r: Record<string, unknown>) => [
    r.event_id,
    r.stream_id,
    r.stream_version,
    r.type,
    r.schema_version,
    JSON.stringify(r.data),
    JSON.stringify(r.metadata),
    r.recorded_at,
    r.prev_hash,
    r.hash,
  ];
  await dataSource.transaction(async (m) => {
    await m.query(`UPDATE events SET event_id = $1, stream_id = 'parked' WHERE event_id = $2`, [
      randomUUID(),
      a,
    ]);
    await m.query(`UPDATE events SET ${set} WHERE event_id = $11`, [...values(rowA), b]);
    await m.query(`UPDATE events SET ${set} WHERE stream_id = 'parked'`, values(rowB));
  });
}

/**
 * The insider's full rewrite: the tree rebuilt from the events as they are now and sealed with a
 * key of their own, into a sink of their own; the genuine seals deleted from the database.
 */
export async function rewriteTreeAndSeals(s: Awaited<ReturnType<typeof sealedStore>>) {
  await s.dataSource.query('DELETE FROM audit_seals');
  await s.dataSource.query('TRUNCATE merkle_leaves, merkle_nodes');
  await s.dataSource.query(
    `UPDATE merkle_log SET size = 0, frontier = '{"size": 0, "hashes": []}', position = '-1--1'`,
  );
  const theirDir = mkdtempSync(join(tmpdir(), 'egep-their-seals-'));
  try {
    const theirs = new Sealer(
      s.dataSource,
      new MerkleLog(s.dataSource, s.store, { batchSize: 100, pollMs: 20 }),
      SealSigner.fromPrivateKey(generateKeyPairSync('ed25519').privateKey),
      new DirectorySink(theirDir),
      new SystemClock(),
      { everyEvents: 1_000, intervalMinutes: 60 },
    );
    return await theirs.seal();
  } finally {
    rmSync(theirDir, { recursive: true, force: true });
  }
}
