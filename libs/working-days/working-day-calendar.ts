import { toDateString } from '../clock/calendar.js';
import { DUTCH_HOLIDAYS, type DutchHoliday, holidaysOf } from './dutch-holidays.js';

export interface WorkingDayCalendarConfig {
  readonly holidays: readonly DutchHoliday[];
  /** YYYY-MM-DD, e.g. a municipal closing day between Christmas and New Year. */
  readonly extraHolidays: readonly string[];
}

/** What holidayName gives for a date from extraHolidays, which carry no name of their own. */
export const EXTRA_HOLIDAY = 'extra_holiday';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01, or undefined unless `date` is a real YYYY-MM-DD date. */
function dayNumberOf(date: string): number | undefined {
  if (!DATE_PATTERN.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number);
  const ms = Date.UTC(y, m - 1, d);
  // Date.UTC rolls 2026-02-30 over to 2 March; the round trip catches that.
  return toDateString(new Date(ms)) === date ? ms / DAY_MS : undefined;
}

export function isDateString(value: unknown): value is string {
  return typeof value === 'string' && dayNumberOf(value) !== undefined;
}

function parse(date: string): number {
  const day = dayNumberOf(date);
  // A malformed date would otherwise turn into NaN and a deadline that never comes.
  if (day === undefined) throw new RangeError(`Not a YYYY-MM-DD date: "${date}"`);
  return day;
}

const format = (day: number) => toDateString(new Date(day * DAY_MS));

/**
 * Working days for escalation deadlines: Monday to Friday, minus the configured holidays.
 * All dates are YYYY-MM-DD in UTC, like the rest of the project.
 */
export class WorkingDayCalendar {
  private readonly holidays: readonly DutchHoliday[];
  private readonly extra: ReadonlySet<string>;
  // Deadlines are computed on every command and timer tick; Easter needs computing once a year.
  private readonly years = new Map<number, Map<string, DutchHoliday>>();

  constructor(config: WorkingDayCalendarConfig) {
    const known: readonly string[] = DUTCH_HOLIDAYS;
    const unknown = config.holidays.filter((name) => !known.includes(name));
    const invalid = config.extraHolidays.filter((date) => !isDateString(date));
    if (unknown.length > 0 || invalid.length > 0) {
      throw new RangeError(
        `Invalid calendar: unknown holidays [${unknown.join(', ')}], invalid dates [${invalid.join(', ')}]`,
      );
    }
    this.holidays = [...config.holidays];
    this.extra = new Set(config.extraHolidays);
  }

  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(parse(date));
  }

  /** The holiday on `date`, EXTRA_HOLIDAY for a configured extra day, else undefined. */
  holidayName(date: string): string | undefined {
    return this.nameOf(parse(date));
  }

  /**
   * The date `days` working days after `date`; `date` itself never counts. With 0: `date` if it
   * is a working day, else the next one, so "within 0 working days" means "today, or the next
   * day the office is open".
   */
  addWorkingDays(date: string, days: number): string {
    if (!Number.isInteger(days) || days < 0) {
      throw new RangeError(`days must be a whole number >= 0, got ${days}`);
    }
    let day = parse(date);
    if (days === 0) {
      while (!this.isWorkingDayNumber(day)) day += 1;
      return format(day);
    }
    for (let counted = 0; counted < days;) {
      day += 1;
      if (this.isWorkingDayNumber(day)) counted += 1;
    }
    return format(day);
  }

  /** Working days d with from < d <= to; the inverse of addWorkingDays for days > 0. */
  workingDaysBetween(from: string, to: string): number {
    const end = parse(to);
    let count = 0;
    for (let day = parse(from) + 1; day <= end; day += 1) {
      if (this.isWorkingDayNumber(day)) count += 1;
    }
    return count;
  }

  /**
   * The instant a deadline of `days` working days from `from` passes: the end of the last
   * allowed day, i.e. 00:00:00.000Z of the calendar day after it, so work done at any time
   * on that day is still on time.
   */
  deadline(from: Date, days: number): Date {
    const lastDay = this.addWorkingDays(toDateString(from), days);
    return new Date((parse(lastDay) + 1) * DAY_MS);
  }

  private isWorkingDayNumber(day: number): boolean {
    const weekday = new Date(day * DAY_MS).getUTCDay();
    // Weekends first: they need neither a string nor a holiday lookup.
    return weekday !== 0 && weekday !== 6 && this.nameOf(day) === undefined;
  }

  private nameOf(day: number): string | undefined {
    const date = format(day);
    const year = new Date(day * DAY_MS).getUTCFullYear();
    let holidays = this.years.get(year);
    if (!holidays) {
      holidays = holidaysOf(year, this.holidays);
      this.years.set(year, holidays);
    }
    return holidays.get(date) ?? (this.extra.has(date) ? EXTRA_HOLIDAY : undefined);
  }
}
