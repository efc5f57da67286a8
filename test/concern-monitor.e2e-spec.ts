import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Counts = Record<string, number | null>;
interface Figures {
  concerns: number | null;
  categories: Counts;
  outcomes: Counts;
  suppressed: boolean;
  suppressedCells: string[];
}

/** What a published figure may be: 0, or at least 5; and nothing follows by subtraction. */
function expectProtected(figures: Figures) {
  for (const value of [
    figures.concerns,
    ...Object.values(figures.categories),
    ...Object.values(figures.outcomes),
  ]) {
    if (value !== null) expect(value === 0 || value >= 5).toBe(true);
  }
  if (figures.concerns !== null) {
    for (const part of [figures.categories, figures.outcomes]) {
      expect(Object.values(part).filter((v) => v === null)).not.toHaveLength(1);
    }
  }
  const nulls = [
    ...(figures.concerns === null ? ['concerns'] : []),
    ...Object.entries(figures.categories).flatMap(([k, v]) =>
      v === null ? [`categories.${k}`] : [],
    ),
    ...Object.entries(figures.outcomes).flatMap(([k, v]) => (v === null ? [`outcomes.${k}`] : [])),
  ];
  expect([...figures.suppressedCells].sort()).toEqual(nulls.sort());
  expect(figures.suppressed).toBe(nulls.length > 0);
}

describe('the policy monitor counts concerns per wijk', () => {
  let t: TestApp;
  let s: HttpSession;
  let analyst: string;
  let teacher: string;
  const filed: string[] = [];

  const file = async (postcode: string, category: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { concernId } = await s.send(
        teacher,
        'post',
        '/api/v1/concerns',
        {
          subject: {
            familyName: `Bos${i}`,
            dateOfBirth: '2011-05-06',
            postcode,
            houseNumber: `${i + 1}`,
          },
          category,
          urgency: category === 'safety' ? 'safety' : 'normal',
          description: `Zorgen om kind ${i} in ${postcode}`,
        },
        201,
      );
      ids.push(concernId);
    }
    filed.push(...ids);
    return ids;
  };
  const monitor = async (query = 'groupBy=wijk&measure=concerns') =>
    (await s.read(analyst, `/api/v1/monitor?${query}`).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
    s = httpSession(t);
    const admin = await t.token({ sub: 'admin-1', roles: ['admin'] });
    const team = async (wijk: string, area: string) =>
      (
        await s.send(
          admin,
          'post',
          '/api/v1/teams',
          { name: `SLT ${wijk}`, wijk, stadsdeel: `Almere ${wijk}`, postcodeAreas: [area] },
          201,
        )
      ).teamId as string;
    const haven = await team('Haven', '1354');
    const poort = await team('Poort', '1363');
    await team('Buiten', '1361');
    const havenIntake = await t.token({ sub: 'prof-sanne', teams: [haven] });
    const poortIntake = await t.token({ sub: 'prof-pim', teams: [poort] });
    analyst = await t.token({ sub: 'analyst-1', roles: ['policy_analyst'] });
    teacher = await t.token({ sub: 'prof-devries', organisation: 'De Regenboog' });
    // Haven: 5 school absences, dismissed after a first contact, and 2 debts still open.
    for (const id of await file('1354AB', 'school_absence', 5)) {
      await s.send(havenIntake, 'post', `/api/v1/concerns/${id}/triage`, undefined, 200);
      await s.send(
        havenIntake,
        'post',
        `/api/v1/concerns/${id}/dismissal`,
        { reason: 'Geen zorgen na eerste contact' },
        200,
      );
    }
    await file('1354AB', 'debts', 2);
    // Poort: 6 concerns of neglect, one of them registered as a family.
    const [registered] = await file('1363AB', 'neglect', 6);
    await s.send(poortIntake, 'post', `/api/v1/concerns/${registered}/triage`, undefined, 200);
    await s.send(
      poortIntake,
      'post',
      `/api/v1/concerns/${registered}/registration`,
      {
        members: [
          { givenName: 'Mila', familyName: 'Bos0', dateOfBirth: '2011-05-06', role: 'child' },
        ],
      },
      201,
    );
    // Buiten: one safety concern.
    await file('1361AB', 'safety', 1);
  });

  afterAll(() => t?.close());

  it('answers rows per wijk with counts per category and outcome, small counts withheld', async () => {
    const report = await monitor();
    expect(report).toMatchObject({ groupBy: 'wijk', measure: 'concerns', minimumCount: 5 });
    expect(report.rows.map((r: { group: string }) => r.group)).toEqual([
      'Buiten',
      'Haven',
      'Poort',
    ]);
    const [buiten, haven, poort] = report.rows as Array<Figures & { group: string }>;
    // Buiten has 1 concern: nothing of it is published, not even its zeros.
    expect(buiten.concerns).toBeNull();
    expect(
      Object.values({ ...buiten.categories, ...buiten.outcomes }).every((v) => v === null),
    ).toBe(true);
    // Haven: 7 concerns; its 2 open debts are withheld, and with them what would give them
    // away (which others, the audit of suppression.ts decides).
    expect(haven).toMatchObject({
      concerns: 7,
      categories: { debts: null },
      outcomes: { open: null },
      suppressed: true,
    });
    // Poort: 6 concerns of neglect; the 1 registered withheld. With Haven's 7 published, the
    // city's 14 minus Poort's 6 would give Buiten's 1 away: one of them is withheld as well.
    expect(poort.outcomes.registered).toBeNull();
    expect(report.totals.concerns === null || poort.concerns === null).toBe(true);
    expect([report.totals.concerns, poort.concerns]).toContain(
      report.totals.concerns === null ? 6 : 14,
    );
    for (const figures of [...report.rows, report.totals]) expectProtected(figures);
    // The city's one safety concern is Buiten's: withheld there as well.
    expect(report.totals.categories.safety).toBeNull();
    // Never per person: no concern, no text of one.
    const text = JSON.stringify(report);
    for (const id of filed) expect(text).not.toContain(id);
    expect(text).not.toContain('Zorgen om');
  });

  it('names what it does not combine with concerns (400), and is for monitor readers only (403)', async () => {
    const fields = async (query: string) =>
      (await s.read(analyst, `/api/v1/monitor?${query}`).expect(400)).body.errors
        .map((e: { field: string }) => e.field)
        .sort();
    expect(await fields('groupBy=stadsdeel&measure=concerns')).toEqual(['groupBy']);
    expect(await fields('groupBy=wijk&measure=concerns&period=2026')).toEqual(['period']);
    expect(await fields('groupBy=wijk&measure=plans')).toEqual(['measure']);
    await s.read(teacher, '/api/v1/monitor?groupBy=wijk&measure=concerns').expect(403);
    // Without a measure the monitor answers its cases as before.
    const cases = await monitor('groupBy=wijk');
    expect(cases).not.toHaveProperty('measure');
    expect(cases.totals).toHaveProperty('activeCases');
  });
});
