import { afterEach, describe, expect, it } from '@jest/globals';
import { ANY } from '../event-store/expected-version.js';
import { testEvent } from '../event-store/testing/event-fixtures.js';
import {
  recomputeChain,
  rewriteTreeAndSeals,
  sealedStore,
  swapEvents,
} from '../../test/support/sealed-store.js';
import { familyEvidence } from './family-evidence.js';

/**
 * The same insiders as store-verification.int-spec.ts, seen from one family: its streams are
 * checked against the latest genuine seal, each event by its inclusion proof.
 */
describe('a family’s events against the latest genuine seal', () => {
  let s: Awaited<ReturnType<typeof sealedStore>>;
  afterEach(async () => s?.close());

  const evidence = async (streams: readonly string[]) =>
    familyEvidence({
      dataSource: s.dataSource,
      store: s.store,
      streams,
      seals: await s.sealer.list(),
      sinkSeals: (await s.sink.readAll()).seals,
      publicKey: s.signer.publicJwk(),
    });

  it('proves every sealed event of an untouched family, and counts what came after the seal', async () => {
    s = await sealedStore();
    const [seal] = await s.sealer.list();
    await s.store.appendToStream(s.streams[0], [testEvent('test.Happened', { late: true })], {
      expectedVersion: ANY,
    });
    const result = await evidence([s.streams[0], s.streams[1]]);
    expect(result.problems).toEqual([]);
    expect(result.seal?.sealId).toBe(seal.sealId);
    expect(result.unsealed).toBe(1);
    expect(result.events.filter((e) => e.proof !== undefined)).toHaveLength(8);
  });

  it('finds an event changed with its chain recomputed by event_hash', async () => {
    s = await sealedStore();
    const [, second] = await s.events(s.streams[1]);
    await s.dataSource.query(`UPDATE events SET data = '{"s": 1, "e": 99}' WHERE event_id = $1`, [
      second.eventId,
    ]);
    await recomputeChain(s.dataSource, s.streams[1]);
    const { problems } = await evidence([s.streams[1]]);
    expect(problems[0]).toMatchObject({ kind: 'event-changed', eventId: second.eventId });
    // The other streams are untouched.
    expect((await evidence([s.streams[0]])).problems).toEqual([]);
  });

  it('finds a stream’s last event deleted with event_streams fixed, and a whole stream deleted', async () => {
    s = await sealedStore();
    const last = (await s.events(s.streams[0])).at(-1)!;
    await s.dataSource.query('DELETE FROM events WHERE event_id = $1', [last.eventId]);
    await s.dataSource.query(
      `UPDATE event_streams SET version = 2, last_hash = (SELECT hash FROM events
         WHERE stream_id = $1 AND stream_version = 2) WHERE stream_id = $1`,
      [s.streams[0]],
    );
    expect((await evidence([s.streams[0]])).problems).toEqual([
      expect.objectContaining({ kind: 'event-removed', eventId: last.eventId, streamVersion: 3 }),
    ]);
    const gone = await s.events(s.streams[2]);
    await s.dataSource.query('DELETE FROM events WHERE stream_id = $1', [s.streams[2]]);
    await s.dataSource.query('DELETE FROM event_streams WHERE stream_id = $1', [s.streams[2]]);
    const removed = (await evidence([s.streams[2]])).problems;
    expect(removed.map((p) => [p.kind, p.eventId])).toEqual(
      gone.map((e) => ['event-removed', e.eventId]),
    );
  });

  it('finds two events swapped in the global order', async () => {
    s = await sealedStore();
    const [a] = await s.events(s.streams[0]);
    const [b] = await s.events(s.streams[1]);
    await swapEvents(s.dataSource, a.eventId, b.eventId);
    const { problems } = await evidence([s.streams[0]]);
    expect(problems).toContainEqual(
      expect.objectContaining({ kind: 'event-moved', eventId: a.eventId }),
    );
  });

  it('finds an edited seal, and a seal and tree replaced by ones signed with another key', async () => {
    s = await sealedStore();
    const [genuine] = await s.sealer.list();
    await s.dataSource.query(
      `UPDATE audit_seals SET size = 11, statement = replace(statement, 'size 12', 'size 11')`,
    );
    const edited = await evidence([s.streams[0]]);
    expect(edited.problems).toEqual([
      expect.objectContaining({ kind: 'seal-forged', sealId: genuine.sealId }),
    ]);
    // The sink's copy of it still vouches for the events.
    expect(edited.seal).toMatchObject({ sealId: genuine.sealId, size: 12 });

    const [first] = await s.events(s.streams[0]);
    await s.dataSource.query(`UPDATE events SET data = '{"forged": true}' WHERE event_id = $1`, [
      first.eventId,
    ]);
    await recomputeChain(s.dataSource, s.streams[0]);
    const forged = await rewriteTreeAndSeals(s);
    const { problems, seal } = await evidence([s.streams[0]]);
    // The genuine seal, which only the sink still holds, is what the events are checked against.
    expect(seal?.sealId).toBe(genuine.sealId);
    expect(problems).toContainEqual(
      expect.objectContaining({ kind: 'seal-forged', sealId: forged.sealId }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ kind: 'event-changed', eventId: first.eventId }),
    );
  });
});
