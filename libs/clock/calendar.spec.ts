import { describe, expect, it } from '@jest/globals';
import { addMonths, ageOn } from './calendar.js';

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
});
