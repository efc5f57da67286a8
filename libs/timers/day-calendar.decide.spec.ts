import { describe, expect, it } from '@jest/globals';
import { DomainConflict } from '../aggregates/domain-errors.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import {
  dayCalendarDecider,
  evolveCalendar,
  type DayCalendarCommand,
} from './day-calendar.decide.js';
import type { DayCalendarEvent } from './day-calendar.events.js';

const spec = deciderSpec(dayCalendarDecider);
const begin = (day: string): DayCalendarCommand => ({ type: 'BeginDay', year: '2026', day });
const began = (date: string): DayCalendarEvent => ({
  type: 'team.DashboardDayBegan',
  data: { date },
});

describe('the day calendar decider', () => {
  it('records a day once and only forward, so a timer that fires twice records it once', () => {
    spec
      .given([])
      .when(begin('2026-06-15'), undefined)
      .then([began('2026-06-15')]);
    spec
      .given([began('2026-06-15')])
      .when(begin('2026-06-15'), undefined)
      .thenFails(DomainConflict);
    spec
      .given([began('2026-06-15')])
      .when(begin('2026-06-01'), undefined)
      .thenFails(DomainConflict);
    spec
      .given([began('2026-06-15')])
      .when(begin('2026-09-01'), undefined)
      .then([began('2026-09-01')]);
    const state = [began('2026-06-15'), began('2026-09-01')].reduce(
      dayCalendarDecider.evolve,
      dayCalendarDecider.initialState,
    );
    expect(state).toEqual({ lastDay: '2026-09-01' });
    expect(dayCalendarDecider).toMatchObject({
      category: 'dashboard-calendar',
      snapshotVersion: 1,
    });
  });

  it("keeps one stream per year: a day of another year is not this stream's", () => {
    spec
      .given([])
      .when(begin('2027-01-01'), undefined)
      .thenFails(Error, /not in year 2026/);
  });

  it('folds to the last day recorded', () => {
    const event = { type: 'team.DashboardDayBegan' as const, data: { date: '2026-01-02' } };
    expect(evolveCalendar({ lastDay: '2026-01-01' }, event)).toEqual({ lastDay: '2026-01-02' });
  });
});
