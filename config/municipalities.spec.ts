import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DUTCH_HOLIDAYS } from '#libs/working-days/dutch-holidays.js';
import { DEFAULT_MUNICIPALITIES, loadMunicipalityConfig } from './municipalities.js';

const dir = mkdtempSync(join(tmpdir(), 'municipalities-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function overrideFile(content: unknown): string {
  const path = join(dir, `override-${(files += 1)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadMunicipalityConfig', () => {
  it('Given no override, then Almere gets the defaults of escalation.md and all 11 holidays', () => {
    const almere = loadMunicipalityConfig('almere');
    expect(almere).toEqual(DEFAULT_MUNICIPALITIES.almere);
    expect(almere.calendar).toEqual({ holidays: [...DUTCH_HOLIDAYS], extraHolidays: [] });
    expect(almere.calendar.holidays).toHaveLength(11);
    expect(almere.escalation).toEqual({
      level0: { acknowledgeDays: 2, resolveDays: 10 },
      level0Safety: { acknowledgeDays: 1, resolveDays: 1 },
      level1: { appointDays: 3, resolveDays: 20 },
      level2: { appointDays: 2, decideDays: 10 },
      actionOverdueDays: 10,
      planNotAgreedWeeks: 6,
      noProgressWeeks: 8,
      regieVacantDays: 5,
      reopenWithinDays: 30,
    });
  });

  it('gives a copy: changing it leaves the defaults alone', () => {
    const almere = loadMunicipalityConfig('almere');
    almere.escalation.level1.resolveDays = 99;
    expect(loadMunicipalityConfig('almere').escalation.level1.resolveDays).toBe(20);
  });

  it('Given a partial override, then it is merged deeply over the default and lists replace', () => {
    const path = overrideFile({
      almere: {
        escalation: { level1: { resolveDays: 15 } },
        calendar: {
          holidays: DUTCH_HOLIDAYS.filter((h) => h !== 'bevrijdingsdag'),
          extraHolidays: ['2026-12-24'],
        },
      },
    });
    const almere = loadMunicipalityConfig('almere', path);
    expect(almere.name).toBe('Almere');
    expect(almere.escalation.level1).toEqual({ appointDays: 3, resolveDays: 15 });
    expect(almere.escalation.level2).toEqual({ appointDays: 2, decideDays: 10 });
    expect(almere.calendar.holidays).toHaveLength(10);
    expect(almere.calendar.holidays).not.toContain('bevrijdingsdag');
    expect(almere.calendar.extraHolidays).toEqual(['2026-12-24']);
  });

  it('Given a municipality only in the override file, then it must be complete', () => {
    const lelystad = { ...DEFAULT_MUNICIPALITIES.almere, name: 'Lelystad' };
    const full = overrideFile({ lelystad });
    expect(loadMunicipalityConfig('lelystad', full).name).toBe('Lelystad');

    const partial = overrideFile({ dronten: { name: 'Dronten', escalation: { level0: {} } } });
    expect(() => loadMunicipalityConfig('dronten', partial)).toThrow(
      /dronten\.calendar is missing[\s\S]*dronten\.escalation\.level0\.acknowledgeDays is missing[\s\S]*dronten\.escalation\.reopenWithinDays is missing/,
    );
  });

  it('Given several invalid values, then the error names every one of them, one per line', () => {
    const path = overrideFile({
      almere: {
        escalation: {
          level1: { resolveDays: 0 },
          level2: { decideDays: 2.5 },
          actionOverdueDays: '10',
          level0: { resolvedays: 5 },
        },
        calendar: { holidays: ['nieuwjaarsdag', 'pasen'], extraHolidays: ['2026-02-30'] },
      },
    });
    let message = '';
    try {
      loadMunicipalityConfig('almere', path);
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split('\n').map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'almere.escalation.level1.resolveDays must be a positive whole number',
        'almere.escalation.level2.decideDays must be a positive whole number',
        'almere.escalation.actionOverdueDays must be a positive whole number',
        'almere.escalation.level0.resolvedays is not a known setting',
        expect.stringMatching(/^almere\.calendar\.holidays\[1\] "pasen" must be one of /),
        'almere.calendar.extraHolidays[0] "2026-02-30" must be a real YYYY-MM-DD date',
      ]),
    );
    expect(lines).toHaveLength(7); // the heading and six problems
  });

  it('Given an unknown municipality, then it says so', () => {
    expect(() => loadMunicipalityConfig('atlantis')).toThrow(/Unknown municipality "atlantis"/);
    expect(() => loadMunicipalityConfig('constructor')).toThrow(/Unknown municipality/);
    const path = overrideFile({ almere: {} });
    expect(() => loadMunicipalityConfig('atlantis', path)).toThrow(
      /Unknown municipality "atlantis".*override-\d+\.json/,
    );
  });

  it('Given an unreadable override file, then the error names the file', () => {
    const broken = overrideFile('{ not json');
    expect(() => loadMunicipalityConfig('almere', broken)).toThrow(broken);
    expect(() => loadMunicipalityConfig('almere', join(dir, 'missing.json'))).toThrow(
      /missing\.json/,
    );
    expect(() => loadMunicipalityConfig('almere', overrideFile([1, 2]))).toThrow(
      /JSON object keyed by municipality/,
    );
  });
});
