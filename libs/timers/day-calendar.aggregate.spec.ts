import { describe, expect, it } from '@jest/globals';
import { DayCalendarType, evolveCalendar } from './day-calendar.aggregate.js';

describe('DayCalendar', () => {
  it('records a day once and only forward, so a timer that fires twice records it once', () => {
    const calendar = DayCalendarType.create('2026');
    expect(calendar.begin('2026-06-15')).toBe(true);
    expect(calendar.begin('2026-06-15')).toBe(false);
    expect(calendar.begin('2026-06-01')).toBe(false);
    expect(calendar.begin('2026-09-01')).toBe(true);
    expect(calendar.getUncommittedEvents()).toEqual([
      { type: 'team.DashboardDayBegan', data: { date: '2026-06-15' } },
      { type: 'team.DashboardDayBegan', data: { date: '2026-09-01' } },
    ]);
    expect(calendar.currentState).toEqual({ lastDay: '2026-09-01' });
    expect(DayCalendarType.category).toBe('dashboard-calendar');
  });

  it("keeps one stream per year: a day of another year is not this stream's", () => {
    const calendar = DayCalendarType.create('2026');
    expect(() => calendar.begin('2027-01-01')).toThrow('not in year 2026');
    expect(calendar.getUncommittedEvents()).toEqual([]);
  });

  it('folds to the last day recorded', () => {
    const event = { type: 'team.DashboardDayBegan' as const, data: { date: '2026-01-02' } };
    expect(evolveCalendar({ lastDay: '2026-01-01' }, event)).toEqual({ lastDay: '2026-01-02' });
  });
});
