import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { deleteRows, upsertRows, type BulkUpsert } from '../projections/bulk-write.js';
import type { Projection } from '../projections/projection.js';
import type { TimerOps, TimerRule } from './timer.js';

const SCHEDULED: BulkUpsert = {
  table: 'scheduled_timers',
  columns: [
    { name: 'timer_id', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'due_at', type: 'timestamptz' },
    { name: 'payload', type: 'jsonb' },
  ],
  conflict: ['timer_id'],
  update: ['kind', 'due_at', 'payload'],
};

/** A timer's last state in a batch: scheduled (this row) or cancelled (null). */
type Pending = Map<
  string,
  { timer_id: string; kind: string; due_at: string; payload: object } | null
>;

/**
 * Keeps scheduled_timers: what is due when, derived from events by the capabilities' rules.
 * Whether a timer fired is runtime state kept apart in timer_runs, so this table stays a pure
 * function of the events (a rebuild gives the same checksum and does not fire timers again).
 */
export class TimerProjection implements Projection {
  readonly name = 'timers';
  readonly tables = ['scheduled_timers'];
  readonly eventTypes: readonly string[];
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, Pending>();

  constructor(private readonly rules: readonly TimerRule[]) {
    this.eventTypes = [...new Set(rules.flatMap((r) => r.eventTypes))];
  }

  /**
   * Rules only write timers, never read them, so within a batch of the runner (from `prepare`
   * to `flush`) each timer's last state is kept and all are written in `flush`: one statement
   * for the cancelled and one per thousand scheduled, where one statement per rule call made
   * timers one of the slowest projections of a rebuild (B2). An `apply` outside a batch writes
   * at once, as before.
   */
  async prepare(_events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    this.batches.set(manager, new Map());
  }

  async apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const pending = this.batches.get(manager);
    const ops = pending ? bufferedOps(pending) : directOps(manager);
    for (const rule of this.rules) {
      if (rule.eventTypes.includes(event.type)) await rule.on(event, ops);
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const pending = this.batches.get(manager);
    if (!pending) return;
    this.batches.delete(manager);
    const cancelled = [...pending].filter(([, row]) => row === null).map(([id]) => id);
    await deleteRows(manager, 'scheduled_timers', 'timer_id', 'text', cancelled);
    await upsertRows(
      manager,
      SCHEDULED,
      [...pending.values()].filter((row) => row !== null),
    );
  }
}

function bufferedOps(pending: Pending): TimerOps {
  return {
    async schedule({ timerId, kind, dueAt, payload }) {
      // Deleted and set again so that the map's order stays the order of the last changes.
      pending.delete(timerId);
      pending.set(timerId, { timer_id: timerId, kind, due_at: dueAt.toISOString(), payload });
    },
    async cancel(timerId) {
      pending.delete(timerId);
      pending.set(timerId, null);
    },
  };
}

function directOps(manager: EntityManager): TimerOps {
  return {
    async schedule({ timerId, kind, dueAt, payload }) {
      await upsertRows(manager, SCHEDULED, [
        { timer_id: timerId, kind, due_at: dueAt.toISOString(), payload },
      ]);
    },
    async cancel(timerId) {
      await deleteRows(manager, 'scheduled_timers', 'timer_id', 'text', [timerId]);
    },
  };
}
