import { afterEach, describe, expect, it } from '@jest/globals';
import { ANY } from '../event-store/expected-version.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import type { TamperProblem } from './store-verification.js';
import {
  recomputeChain,
  rewriteTreeAndSeals,
  sealedStore,
  swapEvents,
} from '../../test/support/sealed-store.js';

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
    await s.sealAt(13);
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
    await swapEvents(s.dataSource, a.eventId, b.eventId);
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
    const forged = await rewriteTreeAndSeals(s);

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
