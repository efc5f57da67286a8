import type { DomainEvent } from '../aggregates/event-sourced-aggregate.js';

/**
 * The day moved on: recorded by the system when a day began (or, after the clock jumped, the
 * day it jumped to), at most once per day. Streams `dashboard-calendar-<year>`. What depends on
 * the day (overdue actions, evaluations due, age bands, coming of age) needs the day in the
 * history, or a rebuild could not know when what fell due.
 *
 * The team dashboard had this calendar first, and its events and streams are stored under the
 * dashboard's names: the names stay, as every stored event type name must.
 */
export type DayBegan = DomainEvent<'team.DashboardDayBegan', { readonly date: string }>;

export type DayCalendarEvent = DayBegan;

export const DAY_BEGAN = 'team.DashboardDayBegan' satisfies DayBegan['type'];

export const DAY_CALENDAR_EVENT_TYPES = [
  DAY_BEGAN,
] as const satisfies readonly DayCalendarEvent['type'][];
