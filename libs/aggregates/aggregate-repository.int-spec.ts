import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openStreamStore, testContext, type StreamStore } from '../../test/support/stream-store.js';
import { WrongExpectedVersionError } from '../event-store/errors.js';
import type { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import type { AggregateRepository } from './aggregate-repository.js';
import {
  EventSourcedAggregate,
  type AggregateType,
  type DomainEvent,
} from './event-sourced-aggregate.js';

type Added = DomainEvent<'test.Added', { amount: number }>;
interface Total {
  total: number;
  count: number;
}

class Tally extends EventSourcedAggregate<Total, Added> {
  protected initialState(): Total {
    return { total: 0, count: 0 };
  }
  protected evolve(state: Total, event: Added): Total {
    return { total: state.total + event.data.amount, count: state.count + 1 };
  }
  add(amount: number): void {
    this.apply({ type: 'test.Added', data: { amount } });
  }
}

const tallyType = (snapshotVersion = 1): AggregateType<Tally> => ({
  category: 'tally',
  snapshotVersion,
  create: (id) => new Tally(id),
});

const context = testContext();

describe('AggregateRepository', () => {
  let streams: StreamStore;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let repository: AggregateRepository;

  beforeAll(async () => {
    streams = await openStreamStore('aggregates', 10);
    ({ dataSource, store, repository } = streams);
  });
  afterAll(async () => streams?.close());

  it('saves new events with metadata and loads the same state by replay', async () => {
    const id = randomUUID();
    const tally = tallyType().create(id);
    tally.add(2);
    tally.add(3);

    await repository.save(tally, tallyType(), context);
    const loaded = await repository.load(tallyType(), id);

    expect(loaded.currentState).toEqual({ total: 5, count: 2 });
    expect(loaded.version).toBe(1);
    expect(tally.getUncommittedEvents()).toHaveLength(0);
    const [first] = await store.readStream(`tally-${id}`);
    expect(first.metadata).toMatchObject({
      actor: context.actor,
      correlationId: context.correlationId,
      municipality: 'almere',
    });
  });

  it('refuses a save based on a stale version instead of losing an update', async () => {
    const id = randomUUID();
    const created = tallyType().create(id);
    created.add(1);
    await repository.save(created, tallyType(), context);
    const first = await repository.load(tallyType(), id);
    const second = await repository.load(tallyType(), id);
    first.add(10);
    second.add(100);

    await repository.save(first, tallyType(), context);

    await expect(repository.save(second, tallyType(), context)).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    expect((await repository.load(tallyType(), id)).currentState).toEqual({ total: 11, count: 2 });
  });

  it('answers undefined for an aggregate that does not exist', async () => {
    expect(await repository.tryLoad(tallyType(), randomUUID())).toBeUndefined();
  });

  it('snapshots long streams and loads from the snapshot to the same state as a full replay', async () => {
    const id = randomUUID();
    let tally = tallyType().create(id);
    for (let batch = 0; batch < 5; batch += 1) {
      for (let i = 1; i <= 7; i += 1) tally.add(i);
      await repository.save(tally, tallyType(), context);
      tally = await repository.load(tallyType(), id);
    }

    const snapshots: Array<{ stream_version: string; state: Total }> = await dataSource.query(
      'SELECT stream_version::text, state FROM aggregate_snapshots WHERE stream_id = $1',
      [`tally-${id}`],
    );
    const fromSnapshot = await repository.load(tallyType(), id);
    const fullReplay = await repository.load(tallyType(2), id);

    expect(snapshots).toHaveLength(1);
    expect(Number(snapshots[0].stream_version)).toBe(34);
    expect(fromSnapshot.currentState).toEqual({ total: 140, count: 35 });
    expect(fullReplay.currentState).toEqual(fromSnapshot.currentState);
    expect(fromSnapshot.version).toBe(34);
  });

  it('finds the latest snapshot before a moment by number, also past version 99', async () => {
    const id = randomUUID();
    let tally = tallyType().create(id);
    for (let batch = 0; batch < 12; batch += 1) {
      for (let i = 1; i <= 10; i += 1) tally.add(1);
      await repository.save(tally, tallyType(), context);
      tally = await repository.load(tallyType(), id);
    }
    const history: Array<{ v: string }> = await dataSource.query(
      'SELECT max(stream_version)::text AS v FROM aggregate_snapshot_history WHERE stream_id = $1',
      [`tally-${id}`],
    );

    const found = await repository.snapshotAsOf<Total>(
      tallyType(),
      id,
      new Date(Date.now() + 1000),
    );

    // As text, "99" sorts after "119": the newest snapshot must win by its number.
    expect(Number(history[0].v)).toBeGreaterThan(100);
    expect(found?.version).toBe(Number(history[0].v));
    expect(found?.state.count).toBe(found!.version + 1);
  });

  it('ignores a snapshot of an older state shape', async () => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO aggregate_snapshots (stream_id, stream_version, snapshot_version, state) VALUES ($1, 0, 0, '{"total": 999, "count": 1}')`,
      [`tally-${id}`],
    );
    const tally = tallyType().create(id);
    tally.add(4);
    await repository.save(tally, tallyType(), context);

    expect((await repository.load(tallyType(), id)).currentState).toEqual({ total: 4, count: 1 });
  });
});
