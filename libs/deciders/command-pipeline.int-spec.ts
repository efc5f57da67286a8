import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openStreamStore, testContext, type StreamStore } from '../../test/support/stream-store.js';
import { DomainRuleViolation, StaleVersion } from '../aggregates/domain-errors.js';
import type { DomainEvent } from '../aggregates/event-sourced-aggregate.js';
import { WrongExpectedVersionError } from '../event-store/errors.js';
import type { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import type { Sealed } from '../personal-data/sealed.js';
import { CommandPipeline, type CommandRun } from './command-pipeline.js';
import type { Decider } from './decider.js';

/** A ledger of remarks: each must be at least three characters (checked on plaintext). */
type Remarked<Text extends string> = DomainEvent<'test.Remarked', { text: Text }>;
type Command = { type: 'Remark'; text: string };
interface Ledger {
  remarks: number;
}

const ledger: Decider<Ledger, Command, Remarked<Sealed>, Remarked<string>, { by: string }> = {
  category: 'ledger',
  snapshotVersion: 1,
  label: 'ledger',
  initialState: { remarks: 0 },
  evolve: (state) => ({ remarks: state.remarks + 1 }),
  decide: (command) => {
    if (command.text.length < 3) throw new DomainRuleViolation('Too short', 'text');
    return [{ type: 'test.Remarked', data: { text: command.text } }];
  },
};

const context = testContext();

describe('CommandPipeline', () => {
  let streams: StreamStore;
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let pipeline: CommandPipeline;
  let sealed: string[];

  beforeAll(async () => {
    streams = await openStreamStore('pipeline', 2);
    ({ dataSource, store } = streams);
    pipeline = new CommandPipeline(streams.repository);
  });
  afterAll(async () => streams?.close());

  const remark = (
    id: string,
    text: string,
    extra: Partial<
      CommandRun<Ledger, Command, Remarked<Sealed>, Remarked<string>, { by: string }>
    > = {},
  ) => {
    sealed = [];
    return pipeline.run({
      decider: ledger,
      id,
      command: { type: 'Remark', text },
      context,
      authorize: async () => ({ by: 'tester' }),
      seal: async (event) => {
        sealed.push(event.data.text);
        return { ...event, data: { text: `sealed(${event.data.text})` as Sealed } };
      },
      ...extra,
    });
  };

  it('decides on plaintext, seals after the decision and stores only the sealed text', async () => {
    const id = randomUUID();
    const outcome = await remark(id, 'hello');
    expect(sealed).toEqual(['hello']);
    expect(outcome).toMatchObject({ version: 0, state: { remarks: 1 } });
    expect(outcome.position).toMatch(/^\d+-\d+$/);
    const [stored] = await store.readStream(`ledger-${id}`);
    expect(stored.data).toEqual({ text: 'sealed(hello)' });
  });

  it('seals nothing and stores nothing for a refused command', async () => {
    const id = randomUUID();
    await expect(remark(id, 'no')).rejects.toBeInstanceOf(DomainRuleViolation);
    expect(sealed).toEqual([]);
    expect(await store.readStream(`ledger-${id}`)).toEqual([]);
  });

  it('refuses before deciding when access is refused, also with a wrong If-Match', async () => {
    const id = randomUUID();
    await remark(id, 'first');
    const refusal = new Error('403');
    await expect(
      remark(id, 'second', { ifMatch: '"7"', authorize: () => Promise.reject(refusal) }),
    ).rejects.toBe(refusal);
    expect(sealed).toEqual([]);
  });

  it('honours If-Match: the current version passes, another is a StaleVersion', async () => {
    const id = randomUUID();
    await remark(id, 'first');
    await expect(remark(id, 'second', { ifMatch: '"0"' })).resolves.toMatchObject({ version: 1 });
    await expect(remark(id, 'third', { ifMatch: '"0"' })).rejects.toBeInstanceOf(StaleVersion);
    expect(await store.readStream(`ledger-${id}`)).toHaveLength(2);
  });

  it('appends with the loaded version: a concurrent writer gets WrongExpectedVersionError', async () => {
    const id = randomUUID();
    await remark(id, 'first');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = remark(id, 'slow', {
      authorize: async () => {
        await held;
        return { by: 'tester' };
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await remark(id, 'fast');
    release();
    await expect(slow).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream(`ledger-${id}`)).toHaveLength(2);
  });

  it('loads from the snapshot it took after the append', async () => {
    const id = randomUUID();
    for (const text of ['one', 'two', 'three']) await remark(id, text);
    const [snapshot]: Array<{ stream_version: string; state: Ledger }> = await dataSource.query(
      'SELECT stream_version::text, state FROM aggregate_snapshots WHERE stream_id = $1',
      [`ledger-${id}`],
    );
    expect(snapshot).toEqual({ stream_version: '2', state: { remarks: 3 } });
    // Loaded from the snapshot, not replayed from the start: a marked snapshot shows through.
    await dataSource.query(
      `UPDATE aggregate_snapshots SET state = '{"remarks": 100}' WHERE stream_id = $1`,
      [`ledger-${id}`],
    );
    await expect(remark(id, 'four')).resolves.toMatchObject({
      version: 3,
      state: { remarks: 101 },
    });
  });
});
