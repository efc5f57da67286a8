import { afterEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import { MerkleLog } from './merkle-log.js';
import { SealSigner } from './seal-signer.js';
import { DirectorySink } from './seal-sink.js';
import { Sealer } from './sealer.js';
import { verifyStore, type TamperProblem } from './store-verification.js';

/** A store with three streams of four events, all sealed, and the means to attack it. */
async function sealedStore() {
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
    streams,
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
async function recomputeChain(dataSource: DataSource, stream: string) {
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

const kinds = (problems: readonly TamperProblem[]) => [...new Set(problems.map((p) => p.kind))];

describe('store-wide verification against insiders with database access (on sealed events)', () => {
  let s: Awaited<ReturnType<typeof sealedStore>>;
  afterEach(async () => s?.close());

  it('verifies an untouched store', async () => {
    s = await sealedStore();
    expect(await s.verify()).toEqual({ valid: true, events: 12, seals: 1, problems: [] });
  });

  it('verifies two seals, and finds the recorded tree edited between them without blaming an event', async () => {
    s = await sealedStore();
    const more = testStream('sealed');
    await s.store.appendToStream(more, [testEvent('test.Happened', { late: true })], {
      expectedVersion: ANY,
    });
    await s.sealer.seal();
    expect(await s.verify()).toMatchObject({ valid: true, seals: 2, problems: [] });
    // A leaf, and the subtree over the first eight leaves that the consistency proof uses.
    await s.dataSource.query(
      `UPDATE merkle_nodes SET hash = sha256(hash) WHERE (level, idx) IN ((0, 5), (3, 0))`,
    );
    const result = await s.verify();
    expect(result.valid).toBe(false);
    expect(kinds(result.problems).sort()).toEqual(['seals-inconsistent', 'tree-edited']);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'tree-edited', leaf: 5 }),
    );
  });

  it('finds an event whose data was changed and whose stream chain was recomputed with event_hash', async () => {
    s = await sealedStore();
    const [, second] = await s.events(s.streams[1]);
    await s.dataSource.query(`UPDATE events SET data = '{"s": 1, "e": 99}' WHERE event_id = $1`, [
      second.eventId,
    ]);
    await recomputeChain(s.dataSource, s.streams[1]);
    expect((await s.store.verifyStream(s.streams[1])).valid).toBe(true);
    const result = await s.verify();
    expect(result.valid).toBe(false);
    // The edited event first; the events after it in its stream got recomputed hashes too.
    expect(result.problems[0]).toMatchObject({
      kind: 'event-changed',
      eventId: second.eventId,
      streamId: s.streams[1],
      streamVersion: 1,
    });
    expect(kinds(result.problems)).toContain('root-mismatch');
  });

  it('finds a stream’s last event deleted, with event_streams fixed to match', async () => {
    s = await sealedStore();
    const last = (await s.events(s.streams[0])).at(-1)!;
    await s.dataSource.query('DELETE FROM events WHERE event_id = $1', [last.eventId]);
    await s.dataSource.query(
      `UPDATE event_streams SET version = 2, last_hash = (SELECT hash FROM events
         WHERE stream_id = $1 AND stream_version = 2) WHERE stream_id = $1`,
      [s.streams[0]],
    );
    expect((await s.store.verifyStream(s.streams[0])).valid).toBe(true);
    const result = await s.verify();
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ kind: 'event-removed', eventId: last.eventId, streamVersion: 3 }),
      expect.objectContaining({ kind: 'tree-shorter-than-seal' }),
    ]);
  });

  it('finds a whole stream deleted', async () => {
    s = await sealedStore();
    const gone = await s.events(s.streams[2]);
    await s.dataSource.query('DELETE FROM events WHERE stream_id = $1', [s.streams[2]]);
    await s.dataSource.query('DELETE FROM event_streams WHERE stream_id = $1', [s.streams[2]]);
    const result = await s.verify();
    expect(result.valid).toBe(false);
    const removed = result.problems.filter((p) => p.kind === 'event-removed');
    expect(removed.map((p) => p.eventId)).toEqual(gone.map((e) => e.eventId));
    expect(removed.every((p) => p.streamId === s.streams[2])).toBe(true);
  });

  it('finds two events whose places in the global order were swapped', async () => {
    s = await sealedStore();
    const [a] = await s.events(s.streams[0]);
    const [b] = await s.events(s.streams[1]);
    // Every column but the position (which Postgres will not let one update) trades places.
    const columns =
      'event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
    const [rowA] = await s.dataSource.query(`SELECT ${columns} FROM events WHERE event_id = $1`, [
      a.eventId,
    ]);
    const [rowB] = await s.dataSource.query(`SELECT ${columns} FROM events WHERE event_id = $1`, [
      b.eventId,
    ]);
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
    await s.dataSource.transaction(async (m) => {
      await m.query(`UPDATE events SET event_id = $1, stream_id = 'parked' WHERE event_id = $2`, [
        randomUUID(),
        a.eventId,
      ]);
      await m.query(`UPDATE events SET ${set} WHERE event_id = $11`, [...values(rowA), b.eventId]);
      await m.query(`UPDATE events SET ${set} WHERE stream_id = 'parked'`, values(rowB));
    });
    expect((await s.store.verifyStream(s.streams[0])).valid).toBe(true);
    const result = await s.verify();
    expect(result.valid).toBe(false);
    // Exactly the two that traded places, not the events between them.
    const moved = result.problems.filter((p) => p.kind === 'event-moved').map((p) => p.eventId);
    expect(moved.sort()).toEqual([a.eventId, b.eventId].sort());
    expect(kinds(result.problems).sort()).toEqual(['event-moved', 'root-mismatch']);
  });

  it('finds a stored seal that was edited', async () => {
    s = await sealedStore();
    const [seal] = await s.sealer.list();
    await s.dataSource.query(
      `UPDATE audit_seals SET size = 11, statement = replace(statement, 'size 12', 'size 11')`,
    );
    const result = await s.verify();
    expect(result.valid).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'seal-forged', sealId: seal.sealId }),
    );
  });

  it('finds the seal and the tree replaced by ones signed with another key', async () => {
    s = await sealedStore();
    const [genuine] = await s.sealer.list();
    // The insider changes an event, recomputes its chain, rebuilds the tree from the events as
    // they are now and seals it with a key of their own, into a sink of their own.
    const [first] = await s.events(s.streams[0]);
    await s.dataSource.query(`UPDATE events SET data = '{"forged": true}' WHERE event_id = $1`, [
      first.eventId,
    ]);
    await recomputeChain(s.dataSource, s.streams[0]);
    await s.dataSource.query('DELETE FROM audit_seals');
    await s.dataSource.query('TRUNCATE merkle_leaves, merkle_nodes');
    await s.dataSource.query(
      `UPDATE merkle_log SET size = 0, frontier = '{"size": 0, "hashes": []}', position = '-1--1'`,
    );
    const theirDir = mkdtempSync(join(tmpdir(), 'egep-their-seals-'));
    const theirs = new Sealer(
      s.dataSource,
      new MerkleLog(s.dataSource, s.store, { batchSize: 100, pollMs: 20 }),
      SealSigner.fromPrivateKey(generateKeyPairSync('ed25519').privateKey),
      new DirectorySink(theirDir),
      new SystemClock(),
      { everyEvents: 1_000, intervalMinutes: 60 },
    );
    const forged = await theirs.seal();
    rmSync(theirDir, { recursive: true, force: true });

    const result = await s.verify();
    expect(result.valid).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'seal-forged', sealId: forged.sealId }),
    );
    // The sink outside the database still holds the genuine seal, whose root the events miss.
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'seal-removed', sealId: genuine.sealId }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ kind: 'root-mismatch', sealId: genuine.sealId }),
    );
  });
});
