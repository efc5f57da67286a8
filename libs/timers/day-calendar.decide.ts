import { DomainConflict } from '../aggregates/domain-errors.js';
import type { Decider } from '../deciders/decider.js';
import type { DayCalendarEvent } from './day-calendar.events.js';

/** The shape of the snapshots already stored (snapshotVersion 1): change it only with a bump. */
export interface DayCalendarState {
  /** The last day recorded in this year's stream (YYYY-MM-DD). */
  readonly lastDay: string | null;
}

export const INITIAL_CALENDAR_STATE: DayCalendarState = Object.freeze({ lastDay: null });

export function evolveCalendar(_: DayCalendarState, event: DayCalendarEvent): DayCalendarState {
  return { lastDay: event.data.date };
}

/** `year` is the stream's id: one stream per year, so that no stream grows without end. */
export type DayCalendarCommand = { type: 'BeginDay'; year: string; day: string };

/** The day, or a later one, is recorded: a day is recorded once, and only forward. */
export const dayRecorded = (state: DayCalendarState, day: string) =>
  state.lastDay !== null && state.lastDay >= day;

export function decideDayCalendar(
  command: DayCalendarCommand,
  state: DayCalendarState,
): DayCalendarEvent[] {
  switch (command.type) {
    case 'BeginDay': {
      const { year, day } = command;
      if (!day.startsWith(year)) throw new Error(`Day ${day} is not in year ${year}`);
      if (dayRecorded(state, day)) {
        throw new DomainConflict(
          `Day ${day} is recorded already (the calendar is at ${state.lastDay})`,
        );
      }
      return [{ type: 'team.DashboardDayBegan', data: { date: day } }];
    }
  }
}

/**
 * The day calendar: streams `dashboard-calendar-<year>`, the dashboard's category as in the
 * streams already stored (day-calendar.events.ts). Nothing in it is personal data.
 */
export const dayCalendarDecider: Decider<
  DayCalendarState,
  DayCalendarCommand,
  DayCalendarEvent,
  DayCalendarEvent,
  void
> = {
  category: 'dashboard-calendar',
  snapshotVersion: 1,
  label: 'day calendar',
  initialState: INITIAL_CALENDAR_STATE,
  evolve: evolveCalendar,
  decide: decideDayCalendar,
};
