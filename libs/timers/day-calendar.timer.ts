import { Inject, Injectable, type Type } from '@nestjs/common';
import { AggregateRepository } from '../aggregates/aggregate-repository.js';
import { toDateString } from '../clock/calendar.js';
import { CLOCK, type Clock } from '../clock/index.js';
import { CommandPipeline } from '../deciders/command-pipeline.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { dayCalendarDecider, dayRecorded } from './day-calendar.decide.js';
import { DAY_BEGAN, type DayBegan } from './day-calendar.events.js';
import { systemContext } from './system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from './timer.js';

// Kind and ids as the team dashboard stored them, so that timers scheduled before stay acted on.
const KIND = 'team.dashboard-day';
/** The calendar's own chain: each recorded day schedules the next midnight. */
const NEXT_DAY = 'dashboard-calendar';
/**
 * Starts the chain (no day recorded yet, or a database from before the calendar): moved by
 * every starting event to the midnight after it. Kept apart from the chain, so that an event
 * committed late with an older time can never move the chain back onto a moment that fired.
 */
const START = 'dashboard-calendar:start';

const midnightAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 60 * 60 * 1000);

/**
 * The rule that keeps a timer on the next midnight, so that the day recorded in the history
 * moves with the clock. `startOn`: the event types after which there is something the day
 * matters to (the app names them; this building block knows no capability's events).
 */
export function dayCalendarRule(startOn: readonly string[]): Type<TimerRule> {
  @Injectable()
  class DayCalendarRule implements TimerRule {
    readonly eventTypes = [DAY_BEGAN, ...startOn];

    async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
      if (recorded.type === DAY_BEGAN) {
        const { date } = (recorded as unknown as DayBegan).data;
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
  return DayCalendarRule;
}

/**
 * Records the day the clock shows now (after a jump, the day it jumped to: one event, not one
 * per day passed), once: a second timer of the same midnight finds it recorded.
 */
@Injectable()
export class DayCalendarHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const today = toDateString(this.clock.now());
    // Early (clocks disagree): fail, so the timer is tried again after a back-off.
    if (today < toDateString(timer.dueAt))
      throw new Error(`${toDateString(timer.dueAt)} has not begun`);
    const year = today.slice(0, 4);
    // Checked first, as the decider refuses a day recorded already. Two runs at once both
    // pass it; the second then fails (409 or refused) and its retry finds the day recorded.
    const calendar = await this.repository.loadState(dayCalendarDecider, year);
    if (calendar && dayRecorded(calendar.state, today)) return;
    await this.pipeline.run({
      decider: dayCalendarDecider,
      id: year,
      command: { type: 'BeginDay', year, day: today },
      context: systemContext(timer),
      // The system acts on its own timer; a day is not personal data.
      authorize: async () => {},
      seal: async (event) => event,
    });
  }
}
