import { toDateString } from '../clock/calendar.js';

/**
 * Dutch public holidays as escalation.md lists them. Which of them a municipality observes is
 * configuration (config/municipalities.ts); this file only knows how to date them. Today's rules
 * are applied to every year: deadlines lie in the present, not in Koninginnedag's days.
 */
export const DUTCH_HOLIDAYS = [
  'nieuwjaarsdag',
  'goede_vrijdag',
  'eerste_paasdag',
  'tweede_paasdag',
  'koningsdag',
  'bevrijdingsdag',
  'hemelvaartsdag',
  'eerste_pinksterdag',
  'tweede_pinksterdag',
  'eerste_kerstdag',
  'tweede_kerstdag',
] as const;

export type DutchHoliday = (typeof DUTCH_HOLIDAYS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Easter Sunday as UTC milliseconds (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterMs(year: number): number {
  // The algorithm is only valid for the Gregorian calendar, and our dates have four-digit years.
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`No Easter date for year ${year}: expected a whole year 1583..9999`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

export function easterSunday(year: number): string {
  return toDateString(new Date(easterMs(year)));
}

/**
 * The dates of the named holidays in `year`. Two holidays can share a date (Hemelvaartsdag fell
 * on 5 May in 2016); the one earlier in DUTCH_HOLIDAYS keeps the name, so the result does not
 * depend on the order of `names`, and leaving out either one still leaves the day off.
 */
export function holidaysOf(
  year: number,
  names: readonly DutchHoliday[],
): Map<string, DutchHoliday> {
  const easter = easterMs(year);
  const fromEaster = (days: number) => toDateString(new Date(easter + days * DAY_MS));
  const fixed = (month: number, day: number) =>
    toDateString(new Date(Date.UTC(year, month - 1, day)));
  // Koningsdag moves to the Saturday before, never to the Monday after, so Sunday stays quiet.
  const aprilTwentySeventhIsSunday = new Date(Date.UTC(year, 3, 27)).getUTCDay() === 0;

  const dates: Record<DutchHoliday, string> = {
    nieuwjaarsdag: fixed(1, 1),
    goede_vrijdag: fromEaster(-2),
    eerste_paasdag: fromEaster(0),
    tweede_paasdag: fromEaster(1),
    koningsdag: fixed(4, aprilTwentySeventhIsSunday ? 26 : 27),
    bevrijdingsdag: fixed(5, 5),
    hemelvaartsdag: fromEaster(39),
    eerste_pinksterdag: fromEaster(49),
    tweede_pinksterdag: fromEaster(50),
    eerste_kerstdag: fixed(12, 25),
    tweede_kerstdag: fixed(12, 26),
  };

  const wanted = new Set(names);
  const result = new Map<string, DutchHoliday>();
  for (const name of DUTCH_HOLIDAYS) {
    if (wanted.has(name) && !result.has(dates[name])) result.set(dates[name], name);
  }
  return result;
}
