import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addMonths, ageOn, birthdayOfAge, daysAfter, toDateString } from './calendar.js';

describe('calendar', () => {
  it('counts an age in whole years, turning on the birthday itself', () => {
    expect(ageOn('2008-11-22', new Date('2026-11-21T23:59:59Z'))).toBe(17);
    expect(ageOn('2008-11-22', new Date('2026-11-22T00:00:00Z'))).toBe(18);
    expect(ageOn('2008-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(18);
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-22', 3)).toBe('2027-02-22');
    expect(addMonths('2026-05-18', -6)).toBe('2025-11-18');
  });

  it('finds the day someone reaches an age: the birthday, or 1 March for 29 February', () => {
    expect(birthdayOfAge('2008-11-22', 18)).toBe('2026-11-22');
    expect(birthdayOfAge('2008-02-29', 18)).toBe('2026-03-01');
    expect(birthdayOfAge('2008-02-29', 16)).toBe('2024-02-29');
  });

  it('agrees with ageOn: on that day the age is reached, the day before it is not', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1920-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 100 }),
        (born, years) => {
          const dateOfBirth = toDateString(born);
          const reached = new Date(`${birthdayOfAge(dateOfBirth, years)}T00:00:00Z`);
          expect(ageOn(dateOfBirth, reached)).toBe(years);
          expect(ageOn(dateOfBirth, new Date(reached.getTime() - 1))).toBe(years - 1);
        },
      ),
    );
  });
});

describe('daysAfter', () => {
  it('lists the days after the first up to and including the last, across months and years', () => {
    expect(daysAfter('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(daysAfter('2028-02-28', '2028-03-01')).toEqual(['2028-02-29', '2028-03-01']);
    expect(daysAfter('2026-06-15', '2026-06-15')).toEqual([]);
  });
});
