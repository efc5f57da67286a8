import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository } from '../../libs/aggregates/aggregate-repository.js';
import { toDateString } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import { systemContext } from '../../libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '../../libs/timers/timer.js';
import { DashboardCalendarType } from './dashboard-calendar.aggregate.js';
import type { DashboardDayBegan } from './dashboard-calendar.events.js';

const KIND = 'team.dashboard-day';
/** The calendar's own chain: each recorded day schedules the next midnight. */
const NEXT_DAY = 'dashboard-calendar';
/**
 * Starts the chain (no day recorded yet, or a database from before the calendar): moved by
 * every registration to the midnight after it. Kept apart from the chain, so that an event
 * committed late with an older time can never move the chain back onto a moment that fired.
 */
const START = 'dashboard-calendar:start';

const midnightAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 60 * 60 * 1000);

/** Keeps a timer on the next midnight, so that the dashboards' day moves with the clock. */
@Injectable()
export class DashboardCalendarRule implements TimerRule {
  readonly eventTypes = ['team.DashboardDayBegan', 'team.TeamCreated', 'family.FamilyRegistered'];

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    if (recorded.type === 'team.DashboardDayBegan') {
      const { date } = (recorded as unknown as DashboardDayBegan).data;
      return timers.schedule({
        timerId: NEXT_DAY,
        kind: KIND,
        dueAt: midnightAfter(date),
        payload: {},
      });
    }
    const day = toDateString(new Date(recorded.metadata.occurredAt));
    await timers.schedule({ timerId: START, kind: KIND, dueAt: midnightAfter(day), payload: {} });
  }
}

/**
 * Records the day the clock shows now (after a jump, the day it jumped to: one event, not one
 * per day passed), once: a second timer of the same midnight finds it recorded.
 */
@Injectable()
export class DashboardDayHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const today = toDateString(this.clock.now());
    // Early (clocks disagree): fail, so the timer is tried again after a back-off.
    if (today < toDateString(timer.dueAt))
      throw new Error(`${toDateString(timer.dueAt)} has not begun`);
    const year = today.slice(0, 4);
    const calendar =
      (await this.repository.tryLoad(DashboardCalendarType, year)) ??
      DashboardCalendarType.create(year);
    if (calendar.begin(today)) {
      await this.repository.save(calendar, DashboardCalendarType, systemContext(timer));
    }
  }
}
