import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { AdjustableClock } from '../clock/index.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { TimerProjection } from './timer-projection.js';
import { TimerService } from './timer-service.js';
import type { DueTimer, TimerHandler, TimerRule } from './timer.js';

const DAY = 24 * 60 * 60 * 1000;

/** Schedules a reminder per test.Scheduled event, cancels it on test.Cancelled. */
const rule: TimerRule = {
  eventTypes: ['test.Scheduled', 'test.Cancelled'],
  async on(event, timers) {
    const { id, inDays } = event.data as { id: string; inDays: number };
    if (event.type === 'test.Cancelled') return timers.cancel(`reminder:${id}`);
    await timers.schedule({
      timerId: `reminder:${id}`,
      kind: 'reminder',
      dueAt: new Date(Date.parse(event.recordedAt) + inDays * DAY),
      payload: { id },
    });
  },
};

class RecordingHandler implements TimerHandler {
  readonly kind = 'reminder';
  readonly fired: DueTimer[] = [];
  failuresLeft = 0;
  delayMs = 0;

  async fire(timer: DueTimer): Promise<void> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('the event store is unreachable');
    }
    this.fired.push(timer);
  }
}

const event = (type: string, data: object, recordedAt = new Date()): RecordedEvent =>
  ({ type, data, recordedAt: recordedAt.toISOString() }) as unknown as RecordedEvent;

describe('durable timers', () => {
  let dataSource: DataSource;
  let clock: AdjustableClock;
  let handler: RecordingHandler;
  const projection = new TimerProjection([rule]);

  beforeAll(async () => {
    dataSource = await openDataSource(await createTestDatabase('timers'), []);
  });
  afterAll(async () => dataSource?.destroy());
  beforeEach(async () => {
    await dataSource.query('TRUNCATE scheduled_timers, timer_runs');
    clock = new AdjustableClock();
    handler = new RecordingHandler();
  });

  const service = (options = {}) => new TimerService(dataSource, clock, [handler], options);
  const fold = (...events: RecordedEvent[]) =>
    dataSource.transaction(async (manager) => {
      for (const e of events) await projection.apply(e, manager);
    });

  it('Given a timer in two days, When the clock passes it, Then it fires once and never again', async () => {
    await fold(event('test.Scheduled', { id: 'a', inDays: 2 }));
    const timers = service();

    expect(await timers.runDue()).toBe(0);
    clock.advanceDays(1);
    expect(await timers.runDue()).toBe(0);
    clock.advanceDays(2);
    expect(await timers.runDue()).toBe(1);
    expect(await timers.runDue()).toBe(0);
    clock.advanceDays(30);
    expect(await timers.runDue()).toBe(0);

    expect(handler.fired.map((t) => [t.timerId, t.payload, t.attempt])).toEqual([
      ['reminder:a', { id: 'a' }, 1],
    ]);
  });

  it('fires a timer that came due while no server ran, at the next start, oldest first', async () => {
    const longAgo = new Date(Date.now() - 40 * DAY);
    await fold(
      event('test.Scheduled', { id: 'late', inDays: 0 }, longAgo),
      event('test.Scheduled', { id: 'later', inDays: 1 }, longAgo),
      event('test.Scheduled', { id: 'future', inDays: 100 }),
    );

    const restarted = service();
    expect(await restarted.runDue()).toBe(2);
    expect(handler.fired.map((t) => t.timerId)).toEqual(['reminder:late', 'reminder:later']);
  });

  it('fires nothing for a cancelled timer', async () => {
    await fold(
      event('test.Scheduled', { id: 'b', inDays: 1 }),
      event('test.Cancelled', { id: 'b' }),
    );
    clock.advanceDays(5);
    expect(await service().runDue()).toBe(0);
    expect(handler.fired).toEqual([]);
  });

  it('fires a moved timer again at its new moment', async () => {
    await fold(event('test.Scheduled', { id: 'c', inDays: 1 }));
    clock.advanceDays(2);
    const timers = service();
    await timers.runDue();
    await fold(event('test.Scheduled', { id: 'c', inDays: 10 }));
    clock.advanceDays(10);
    await timers.runDue();
    expect(handler.fired.map((t) => t.timerId)).toEqual(['reminder:c', 'reminder:c']);
  });

  it('lets only one of two servers fire a timer, however they race', async () => {
    handler.delayMs = 20;
    await fold(
      ...Array.from({ length: 30 }, (_, i) => event('test.Scheduled', { id: `r${i}`, inDays: 0 })),
    );
    const [one, two] = [service(), service()];
    const counts = await Promise.all([one.runDue(), two.runDue()]);

    expect(counts[0] + counts[1]).toBe(30);
    expect(new Set(handler.fired.map((t) => t.timerId)).size).toBe(30);
    expect(handler.fired).toHaveLength(30);
  });

  it('retries a failed timer after a back-off, counting the attempts', async () => {
    await fold(event('test.Scheduled', { id: 'd', inDays: 0 }));
    handler.failuresLeft = 1;
    const timers = service();

    expect(await timers.runDue()).toBe(0);
    const [run] = await dataSource.query(
      'SELECT attempts, last_error, fired_at FROM timer_runs WHERE timer_id = $1',
      ['reminder:d'],
    );
    expect(run).toMatchObject({ attempts: 1, last_error: 'the event store is unreachable' });
    expect(run.fired_at).toBeNull();
    expect(await timers.runDue()).toBe(0); // still backing off

    await dataSource.query("UPDATE timer_runs SET lease_until = now() - interval '1 second'");
    expect(await timers.runDue()).toBe(1);
    expect(handler.fired.map((t) => t.attempt)).toEqual([2]);
  });

  it('takes over a timer whose server died holding its lease', async () => {
    await fold(event('test.Scheduled', { id: 'e', inDays: 0 }));
    await dataSource.query(
      `INSERT INTO timer_runs (timer_id, due_at, lease_owner, lease_until, attempts)
       SELECT timer_id, due_at, gen_random_uuid(), now() - interval '1 second', 1
         FROM scheduled_timers`,
    );
    expect(await service().runDue()).toBe(1);
    expect(handler.fired.map((t) => [t.timerId, t.attempt])).toEqual([['reminder:e', 2]]);
  });
});
