import type { DomainEvent } from '../../libs/aggregates/event-sourced-aggregate.js';

/**
 * The dashboards' day moved on: recorded by the system when a day began (or, after the clock
 * jumped, the day it jumped to), at most once per day. Streams `dashboard-calendar-<year>`.
 * Overdue actions, evaluations due and age bands depend on the day; a projection that keeps
 * them needs the day in its history, or a rebuild could not know when what fell due.
 */
export type DashboardDayBegan = DomainEvent<'team.DashboardDayBegan', { readonly date: string }>;

export type DashboardCalendarEvent = DashboardDayBegan;

export const DASHBOARD_CALENDAR_EVENT_TYPES = [
  'team.DashboardDayBegan',
] as const satisfies readonly DashboardCalendarEvent['type'][];
