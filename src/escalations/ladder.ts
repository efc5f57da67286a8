import type { EscalationDeadlines } from '../../config/municipalities.js';
import type { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import type { Deadlines, Level } from './escalation.model.js';

/**
 * The escalation ladder of one municipality: which working-day deadlines a level gets.
 * A safety signal runs on the shorter level-0 deadlines (escalation.md).
 */
export class Ladder {
  constructor(
    private readonly calendar: WorkingDayCalendar,
    readonly config: EscalationDeadlines,
  ) {}

  deadlines(level: Level, safety: boolean, from: Date): Deadlines {
    const [respond, resolve] = this.days(level, safety);
    return {
      respondBy: this.calendar.deadline(from, respond).toISOString(),
      resolveBy: this.calendar.deadline(from, resolve).toISOString(),
    };
  }

  /** The end of the given number of working days after a moment (for automatic signals). */
  workingDaysAfter(from: Date, days: number): Date {
    return this.calendar.deadline(from, days);
  }

  private days(level: Level, safety: boolean): [number, number] {
    const c = this.config;
    if (level === 0) {
      const l0 = safety ? c.level0Safety : c.level0;
      return [l0.acknowledgeDays, l0.resolveDays];
    }
    if (level === 1) return [c.level1.appointDays, c.level1.resolveDays];
    return [c.level2.appointDays, c.level2.decideDays];
  }
}

export const LADDER = Symbol('LADDER');
