import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DUTCH_HOLIDAYS, easterSunday, holidaysOf } from './dutch-holidays.js';
import { EXTRA_HOLIDAY, WorkingDayCalendar } from './working-day-calendar.js';

const allHolidays = () => new WorkingDayCalendar({ holidays: DUTCH_HOLIDAYS, extraHolidays: [] });
const without = (...left: string[]) =>
  new WorkingDayCalendar({
    holidays: DUTCH_HOLIDAYS.filter((name) => !left.includes(name)),
    extraHolidays: [],
  });

describe('easterSunday', () => {
  it('Given known years, when computing Easter, then it matches the published dates', () => {
    const known: Record<number, string> = {
      2016: '2016-03-27',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2028: '2028-04-16',
      2038: '2038-04-25',
      2285: '2285-03-22', // the earliest possible date
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(date);
  });

  it('always falls on a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = easterSunday(year);
        expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
      }),
    );
  });

  it('refuses years outside the Gregorian calendar', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
  });
});

describe('holidaysOf', () => {
  it('Given 2026, then Hemelvaart is 14 May and Pinksteren 24/25 May', () => {
    expect(
      Object.fromEntries([...holidaysOf(2026, DUTCH_HOLIDAYS)].map(([d, n]) => [n, d])),
    ).toEqual({
      nieuwjaarsdag: '2026-01-01',
      goede_vrijdag: '2026-04-03',
      eerste_paasdag: '2026-04-05',
      tweede_paasdag: '2026-04-06',
      koningsdag: '2026-04-27',
      bevrijdingsdag: '2026-05-05',
      hemelvaartsdag: '2026-05-14',
      eerste_pinksterdag: '2026-05-24',
      tweede_pinksterdag: '2026-05-25',
      eerste_kerstdag: '2026-12-25',
      tweede_kerstdag: '2026-12-26',
    });
  });

  it('Given Hemelvaart on 5 May (2016), then the date keeps the earlier-listed name', () => {
    expect(holidaysOf(2016, DUTCH_HOLIDAYS).get('2016-05-05')).toBe('bevrijdingsdag');
    expect(holidaysOf(2016, ['hemelvaartsdag']).get('2016-05-05')).toBe('hemelvaartsdag');
  });
});

describe('WorkingDayCalendar', () => {
  const calendar = allHolidays();

  it('Given a weekend, then neither day is a working day and 0 days moves to Monday', () => {
    expect(calendar.isWorkingDay('2026-12-18')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-12-19')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-12-20')).toBe(false); // Sunday
    expect(calendar.holidayName('2026-12-19')).toBeUndefined();
    expect(calendar.addWorkingDays('2026-12-19', 0)).toBe('2026-12-21');
    expect(calendar.addWorkingDays('2026-12-18', 0)).toBe('2026-12-18');
    expect(calendar.addWorkingDays('2026-12-18', 1)).toBe('2026-12-21');
    // The start date is never counted, working day or not.
    expect(calendar.addWorkingDays('2026-12-19', 1)).toBe('2026-12-21');
  });

  it('Given Easter 2027 (28 March), when adding 2 working days to Thursday 25 March, then Wednesday 31 March', () => {
    expect(calendar.holidayName('2027-03-26')).toBe('goede_vrijdag');
    expect(calendar.isWorkingDay('2027-03-26')).toBe(false);
    expect(calendar.holidayName('2027-03-29')).toBe('tweede_paasdag');
    expect(calendar.isWorkingDay('2027-03-29')).toBe(false);
    expect(calendar.addWorkingDays('2027-03-25', 2)).toBe('2027-03-31');
  });

  it('Given 27 April on a Sunday, then Koningsdag is the Saturday before, and Monday is a working day', () => {
    expect(calendar.holidayName('2025-04-26')).toBe('koningsdag');
    expect(calendar.holidayName('2025-04-27')).toBeUndefined();
    expect(calendar.isWorkingDay('2025-04-28')).toBe(true);
    expect(calendar.holidayName('2031-04-26')).toBe('koningsdag');
    expect(calendar.holidayName('2031-04-27')).toBeUndefined();
  });

  it('Given 27 April 2026 on a Monday, then it is Koningsdag and skipped', () => {
    expect(calendar.holidayName('2026-04-27')).toBe('koningsdag');
    expect(calendar.isWorkingDay('2026-04-27')).toBe(false);
    expect(calendar.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28');
  });

  it('Given Hemelvaart and Pinksteren 2026, then Thursday 14 May and Monday 25 May are skipped', () => {
    expect(calendar.isWorkingDay('2026-05-14')).toBe(false);
    expect(calendar.addWorkingDays('2026-05-13', 1)).toBe('2026-05-15');
    expect(calendar.holidayName('2026-05-24')).toBe('eerste_pinksterdag');
    expect(calendar.isWorkingDay('2026-05-25')).toBe(false);
    expect(calendar.addWorkingDays('2026-05-22', 1)).toBe('2026-05-26');
  });

  it('Given Christmas on Friday 2026, when adding 3 working days to Wednesday 23 December, then Tuesday 29 December', () => {
    // 24 Dec (1); 25 Fri and 26 Sat are Kerst, 27 is Sunday; 28 (2); 29 (3).
    expect(calendar.addWorkingDays('2026-12-23', 3)).toBe('2026-12-29');
  });

  it('Given New Year on Friday 2027, when adding 2 working days to 31 December 2026, then Tuesday 5 January', () => {
    expect(calendar.addWorkingDays('2026-12-31', 2)).toBe('2027-01-05');
  });

  it('Given an extra closing day, then it is not a working day and is named as such', () => {
    const closing = new WorkingDayCalendar({
      holidays: DUTCH_HOLIDAYS,
      extraHolidays: ['2026-12-24'],
    });
    expect(closing.isWorkingDay('2026-12-24')).toBe(false);
    expect(closing.holidayName('2026-12-24')).toBe(EXTRA_HOLIDAY);
    expect(closing.addWorkingDays('2026-12-23', 1)).toBe('2026-12-28');
  });

  it('Given a calendar without bevrijdingsdag, then 5 May is a working day, unless it is Hemelvaart', () => {
    const noBevrijdingsdag = without('bevrijdingsdag');
    expect(calendar.isWorkingDay('2026-05-05')).toBe(false);
    expect(noBevrijdingsdag.isWorkingDay('2026-05-05')).toBe(true);
    expect(noBevrijdingsdag.addWorkingDays('2026-05-04', 1)).toBe('2026-05-05');
    expect(calendar.addWorkingDays('2026-05-04', 1)).toBe('2026-05-06');
    expect(noBevrijdingsdag.holidayName('2016-05-05')).toBe('hemelvaartsdag');
  });

  it('counts working days after `from` up to and including `to`', () => {
    expect(calendar.workingDaysBetween('2026-12-23', '2026-12-29')).toBe(3);
    expect(calendar.workingDaysBetween('2026-12-31', '2027-01-05')).toBe(2);
    expect(calendar.workingDaysBetween('2026-12-23', '2026-12-23')).toBe(0);
    expect(calendar.workingDaysBetween('2026-12-29', '2026-12-23')).toBe(0);
    // 2026: 261 weekdays, 8 holidays on weekdays (Easter, Pinksteren Sunday; 26 Dec Saturday).
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(253);
  });

  it('Given a deadline, then it passes at midnight UTC after the last allowed working day', () => {
    expect(calendar.deadline(new Date('2026-12-23T15:30:00Z'), 3)).toEqual(
      new Date('2026-12-30T00:00:00.000Z'),
    );
    // 00:30 Dutch time on 24 December is still 23 December in UTC.
    expect(calendar.deadline(new Date('2026-12-24T00:30:00+01:00'), 3)).toEqual(
      new Date('2026-12-30T00:00:00.000Z'),
    );
    // Raised on a Saturday, "0 working days" ends with Monday.
    expect(calendar.deadline(new Date('2026-12-19T10:00:00Z'), 0)).toEqual(
      new Date('2026-12-22T00:00:00.000Z'),
    );
  });

  it('rejects malformed dates, negative days and unknown configuration', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('23-12-2026', 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-12-23', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-12-23', 1.5)).toThrow(RangeError);
    expect(
      () => new WorkingDayCalendar({ holidays: DUTCH_HOLIDAYS, extraHolidays: ['2026-13-01'] }),
    ).toThrow(/2026-13-01/);
  });

  it('Given any date and n, then addWorkingDays lands on a working day exactly n working days on', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 60 }),
        fc.subarray([...DUTCH_HOLIDAYS]),
        (start, n, holidays) => {
          const cal = new WorkingDayCalendar({ holidays, extraHolidays: [] });
          const date = start.toISOString().slice(0, 10);
          const result = cal.addWorkingDays(date, n);
          expect(cal.isWorkingDay(result)).toBe(true);
          if (n > 0) {
            expect(result > date).toBe(true);
            expect(cal.workingDaysBetween(date, result)).toBe(n);
          }
        },
      ),
    );
  });
});
