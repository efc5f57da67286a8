import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openStreamStore, type StreamStore } from '../../test/support/stream-store.js';
import { AdjustableClock } from '../clock/index.js';
import { CommandPipeline } from '../deciders/command-pipeline.js';
import { DayCalendarHandler } from './day-calendar.timer.js';
import type { DueTimer } from './timer.js';

const midnight = (day: string): DueTimer => ({
  timerId: 'dashboard-calendar',
  kind: 'team.dashboard-day',
  dueAt: new Date(`${day}T00:00:00Z`),
  payload: {},
  attempt: 1,
});

describe('the day calendar timer', () => {
  let streams: StreamStore;
  let clock: AdjustableClock;
  let handler: DayCalendarHandler;

  beforeAll(async () => {
    streams = await openStreamStore('day_calendar', 100);
    clock = new AdjustableClock(new Date('2030-06-15T00:00:05Z'));
    handler = new DayCalendarHandler(
      new CommandPipeline(streams.repository),
      streams.repository,
      clock,
    );
  });
  afterAll(async () => streams?.close());

  const days = async () =>
    (await streams.store.readStream('dashboard-calendar-2030')).map((e) => e.data);

  it('records the day once when its midnight fires twice, and the day the clock jumped to', async () => {
    await handler.fire(midnight('2030-06-15'));
    // The chain's timer and the start timer of the same midnight, or a retry after a crash.
    await handler.fire(midnight('2030-06-15'));
    expect(await days()).toEqual([{ date: '2030-06-15' }]);

    clock.advanceDays(3);
    await handler.fire(midnight('2030-06-16'));
    await handler.fire(midnight('2030-06-16'));
    expect(await days()).toEqual([{ date: '2030-06-15' }, { date: '2030-06-18' }]);
  });

  it('fails a timer that fires before its day began, so it is tried again', async () => {
    await expect(handler.fire(midnight('2030-07-01'))).rejects.toThrow('has not begun');
    expect(await days()).toHaveLength(2);
  });
});
