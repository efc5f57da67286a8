import {
  EventSourcedAggregate,
  type AggregateType,
} from '../../libs/aggregates/event-sourced-aggregate.js';
import type { DashboardCalendarEvent } from './dashboard-calendar.events.js';

export interface DashboardCalendarState {
  /** The last day recorded in this year's stream (YYYY-MM-DD). */
  readonly lastDay: string | null;
}

export const INITIAL_CALENDAR_STATE: DashboardCalendarState = Object.freeze({ lastDay: null });

export function evolveCalendar(
  _: DashboardCalendarState,
  event: DashboardCalendarEvent,
): DashboardCalendarState {
  return { lastDay: event.data.date };
}

/** One stream per year, so that no stream grows without end. */
export class DashboardCalendar extends EventSourcedAggregate<
  DashboardCalendarState,
  DashboardCalendarEvent
> {
  protected initialState(): DashboardCalendarState {
    return INITIAL_CALENDAR_STATE;
  }

  protected evolve(state: DashboardCalendarState, event: DashboardCalendarEvent) {
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

export const DashboardCalendarType: AggregateType<DashboardCalendar> = {
  category: 'dashboard-calendar',
  snapshotVersion: 1,
  create: (year) => new DashboardCalendar(year),
};
