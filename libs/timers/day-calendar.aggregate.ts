import {
  EventSourcedAggregate,
  type AggregateType,
} from '../aggregates/event-sourced-aggregate.js';
import type { DayCalendarEvent } from './day-calendar.events.js';

export interface DayCalendarState {
  /** The last day recorded in this year's stream (YYYY-MM-DD). */
  readonly lastDay: string | null;
}

export const INITIAL_CALENDAR_STATE: DayCalendarState = Object.freeze({ lastDay: null });

export function evolveCalendar(_: DayCalendarState, event: DayCalendarEvent): DayCalendarState {
  return { lastDay: event.data.date };
}

/** One stream per year, so that no stream grows without end. */
export class DayCalendar extends EventSourcedAggregate<DayCalendarState, DayCalendarEvent> {
  protected initialState(): DayCalendarState {
    return INITIAL_CALENDAR_STATE;
  }

  protected evolve(state: DayCalendarState, event: DayCalendarEvent) {
    return evolveCalendar(state, event);
  }

  /** Records the day once, and only forward: true when it was recorded now. */
  begin(day: string): boolean {
    if (!day.startsWith(this.id)) throw new Error(`Day ${day} is not in year ${this.id}`);
    if (this.state.lastDay !== null && this.state.lastDay >= day) return false;
    this.apply({ type: 'team.DashboardDayBegan', data: { date: day } });
    return true;
  }
}

/** The category is the dashboard's, as in the streams already stored (day-calendar.events.ts). */
export const DayCalendarType: AggregateType<DayCalendar> = {
  category: 'dashboard-calendar',
  snapshotVersion: 1,
  create: (year) => new DayCalendar(year),
};
