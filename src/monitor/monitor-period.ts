import { validationProblem } from '#libs/http/problem-details.js';

/**
 * A fixed calendar period of the monitor: a year (`2026`), a quarter (`2026-Q3`) or a month
 * (`2026-11`), with its first and last day (UTC, both inclusive).
 *
 * Only such periods are answered: two windows a reader picks freely can overlap in a day or a
 * handful of cases (1 June to 31 May, 2 June to 31 May), and the difference of their published
 * counts is a count the suppression withheld. Fixed periods never overlap partly: two of them
 * are disjoint, or one lies within the other.
 */
export interface MonitorPeriod {
  readonly period: string;
  readonly from: string;
  readonly to: string;
}

/** Four-digit years from 1000: PostgreSQL has no year 0, and JavaScript reads 0-99 as 19xx. */
export const PERIOD_PATTERN = /^([1-9]\d{3})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;
export const PERIOD_FORMAT = 'a year (2026), a quarter (2026-Q3) or a month (2026-11)';

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function months(year: number, first: number, count: number, period: string): MonitorPeriod {
  const last = first + count - 1;
  return {
    period,
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(last)}-${pad(lastDay(year, last))}`,
  };
}

/** The period a label names, or undefined when it names none. */
export function parsePeriod(label: string): MonitorPeriod | undefined {
  const match = PERIOD_PATTERN.exec(label);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (match[2]) return months(year, 3 * Number(match[2]) - 2, 3, label);
  if (match[3]) return months(year, Number(match[3]), 1, label);
  return months(year, 1, 12, label);
}

/** The month, quarter or year that is exactly [from, to], if any. */
export function periodOfRange(from: string, to: string): MonitorPeriod | undefined {
  const start = /^(\d{4})-(\d{2})-01$/.exec(from);
  if (!start) return undefined;
  const [year, month] = [start[1], Number(start[2])];
  const candidates = [
    `${year}-${pad(month)}`,
    ...(month % 3 === 1 ? [`${year}-Q${(month + 2) / 3}`] : []),
    ...(month === 1 ? [year] : []),
  ];
  return candidates.map(parsePeriod).find((p) => p?.from === from && p.to === to);
}

/** The calendar year of `today`: the default, a fixed period too (not the last 12 months). */
export function yearOf(today: Date): MonitorPeriod {
  return parsePeriod(String(today.getUTCFullYear()))!;
}

const refuse = (field: string, message: string) =>
  validationProblem([{ field, messages: [message] }]);

/**
 * The period of a monitor query: `period`, or `from` and `to` that are exactly one month,
 * quarter or year, or else the current year. Anything else is a 400 naming the field.
 */
export function monitorPeriod(
  query: { period?: string; from?: string; to?: string },
  today: Date,
): MonitorPeriod {
  const { period, from, to } = query;
  if (period !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw refuse('period', 'give either period, or from and to, not both');
    }
    const parsed = parsePeriod(period);
    if (!parsed) throw refuse('period', `must be ${PERIOD_FORMAT}`);
    return parsed;
  }
  if (from === undefined && to === undefined) return yearOf(today);
  if (from === undefined) throw refuse('from', 'must be given with to');
  if (to === undefined) throw refuse('to', 'must be given with from');
  if (from > to) throw refuse('from', `from (${from}) must not be after to (${to})`);
  if (!/-01$/.test(from) || !PERIOD_PATTERN.test(from.slice(0, 4))) {
    throw refuse('from', 'must be the first day of a month, a quarter or a year');
  }
  const fixed = periodOfRange(from, to);
  if (!fixed) {
    throw refuse(
      'to',
      `must be the last day of the month, quarter or year that starts on ${from}: the monitor answers fixed calendar periods only`,
    );
  }
  return fixed;
}
