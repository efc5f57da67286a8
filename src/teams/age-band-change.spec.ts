import { describe, expect, it } from '@jest/globals';
import { ageBandOn } from './age-band-change.js';
import { ageBandOf } from './team-dashboard.js';

const at = (day: string) => new Date(`${day}T00:00:00Z`);
const dayBefore = (day: string) =>
  new Date(at(day).getTime() - 86_400_000).toISOString().slice(0, 10);

describe('ageBandOn', () => {
  it('gives the band on the day and the next day it changes, by the same ages as ageBandOf', () => {
    expect(ageBandOn('2022-06-16', '2026-06-15')).toEqual({ band: '0-4', changesOn: '2026-06-16' });
    expect(ageBandOn('2022-06-15', '2026-06-15')).toEqual({
      band: '4-12',
      changesOn: '2034-06-15',
    });
    expect(ageBandOn('2008-06-16', '2026-06-15')).toEqual({
      band: '12-18',
      changesOn: '2026-06-16',
    });
    expect(ageBandOn('2003-01-01', '2026-06-15')).toEqual({
      band: '23-65',
      changesOn: '2068-01-01',
    });
    expect(ageBandOn('1950-01-01', '2026-06-15')).toEqual({ band: '65+', changesOn: null });
    expect(ageBandOn(null, '2026-06-15')).toEqual({ band: 'unknown', changesOn: null });
  });

  it('moves a 29 February birthday on 1 March in a year without one, as ageOn does', () => {
    // Born 29 February 2008: 18 on 1 March 2026, 23 on 1 March 2031, 65 on 1 March 2073.
    expect(ageBandOn('2008-02-29', '2026-02-28')).toEqual({
      band: '12-18',
      changesOn: '2026-03-01',
    });
    expect(ageBandOn('2008-02-29', '2026-03-01')).toEqual({
      band: '18-23',
      changesOn: '2031-03-01',
    });
    expect(ageBandOn('2008-02-29', '2031-03-01').changesOn).toBe('2073-03-01');
  });

  it('is never wrong between two changes: the band holds until the day before changesOn', () => {
    for (const dateOfBirth of ['2008-02-29', '2020-12-31', '1961-07-01', '2026-01-01']) {
      let day = '2026-01-01';
      for (let i = 0; i < 6; i += 1) {
        const { band, changesOn } = ageBandOn(dateOfBirth, day);
        expect([day, band]).toEqual([day, ageBandOf(dateOfBirth, at(day))]);
        if (changesOn === null) break;
        expect([changesOn, ageBandOf(dateOfBirth, at(dayBefore(changesOn)))]).toEqual([
          changesOn,
          band,
        ]);
        expect(ageBandOf(dateOfBirth, at(changesOn))).not.toBe(band);
        day = changesOn;
      }
    }
  });
});
