import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { birthdayOfAge, toDateString } from '#libs/clock/calendar.js';
import { openDataSource } from '#libs/database/data-source.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { CameOfAge1732000017000 } from '../src/families/came-of-age.migration.js';
import { TURNS_18 } from '../src/families/came-of-age.projection.js';
import { READ_MODEL_MIGRATIONS } from '../src/read-models.js';
import { BAND_CHANGE } from '../src/teams/team-dashboard.projection.js';
import { dump } from './support/database-dump.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const TEAM = randomUUID();
const DAY = 24 * 60 * 60 * 1000;
/** The ages at which the team dashboard's band changes (4, 12, 18, 23, 65): days it indexes. */
const BAND_AGES = [4, 12, 18, 23, 65];

/** A date of birth `years` and `days` before `now`, never a 29 February. */
function born(years: number, days: number, now: Date): string {
  const date = new Date(now.getTime() - days * DAY);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  if (toDateString(date).endsWith('-02-29')) date.setUTCDate(28);
  return toDateString(date);
}

async function cameOfAge(t: TestApp): Promise<string[]> {
  const rows: Array<{ member_id: string }> = await t.infra.dataSource.query(
    `SELECT data->>'memberId' AS member_id FROM events WHERE type = 'family.MemberCameOfAge'`,
  );
  return rows.map((r) => r.member_id);
}

describe("a minor's birthday in the read models", () => {
  let t: TestApp;
  let sanne: string;
  let officer: string;
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    officer = await t.token({
      sub: 'po-pim',
      name: 'Pim Privacy',
      organisation: 'Gemeente Almere',
      roles: ['privacy_officer'],
    });
  });
  afterAll(async () => t?.close());

  async function caughtUp(): Promise<ProjectionRunner> {
    await s.advanceDays(0);
    const runner = t.app.get(ProjectionRunner);
    for (const name of runner.names) await runner.catchUp(name);
    return runner;
  }

  it('is nowhere in plaintext, and an erased minor leaves nothing that finds it', async () => {
    const now = await s.now();
    const ada = born(7, 41, now);
    const ben = born(9, 103, now);
    const registered = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [
        { givenName: 'Ria', familyName: 'Dekker', dateOfBirth: '1983-10-09', role: 'parent' },
        { givenName: 'Ada', familyName: 'Dekker', dateOfBirth: ada, role: 'child' },
        { givenName: 'Ben', familyName: 'Dekker', dateOfBirth: ben, role: 'child' },
      ],
    });
    const [, adaId, benId] = registered.memberIds as string[];
    await caughtUp();

    const plaintext = [ada, birthdayOfAge(ada, 18), ben, birthdayOfAge(ben, 18)];
    const before = await dump(t.infra.dataSource);
    for (const date of plaintext)
      expect({ date, found: before.includes(date) }).toEqual({ date, found: false });
    // What finds a birthday with the master key: the blind indexes of Ada's days. They are
    // there while she is a minor (so the search below would find them)...
    const index = (kind: string, age: number) =>
      t.infra.vault.blindIndex(kind, birthdayOfAge(ada, age));
    expect(before).toContain(index(TURNS_18, 18));
    expect(before).toContain(index(BAND_CHANGE, 12));

    // ...and gone once she is erased.
    const request = await s.send(
      sanne,
      'post',
      `/api/v1/families/${registered.familyId}/members/${adaId}/erasure-requests`,
      { reason: 'Moeder wil Ada uit het dossier' },
      201,
    );
    await s.send(
      officer,
      'post',
      `/api/v1/erasure-requests/${request.requestId}/decision`,
      { grant: true, reason: 'AVG art. 17: geen wettelijke bewaarplicht meer' },
      200,
    );
    const runner = await caughtUp();
    const findsAda = (text: string) =>
      [TURNS_18, BAND_CHANGE].flatMap((kind) =>
        BAND_AGES.filter((age) => text.includes(index(kind, age))).map((age) => `${kind} ${age}`),
      );
    const after = await dump(t.infra.dataSource);
    expect(findsAda(after)).toEqual([]);
    for (const date of plaintext)
      expect({ date, found: after.includes(date) }).toEqual({ date, found: false });
    // Ben, not erased, is still kept for his birthday.
    expect(after).toContain(t.infra.vault.blindIndex(TURNS_18, birthdayOfAge(ben, 18)));

    // A rebuild gives the same rows, and schedules no timer of anyone's birthday.
    const live = await runner.checksum('came-of-age');
    expect((await runner.rebuild('came-of-age')).checksum).toBe(live);
    expect((await runner.rebuild('came-of-age')).checksum).toBe(live);
    await runner.rebuild('timers');
    const timers: Array<{ timer_id: string }> = await t.infra.dataSource.query(
      `SELECT timer_id FROM scheduled_timers WHERE timer_id LIKE 'came-of-age:%'`,
    );
    expect(timers).toEqual([]);
    const rebuilt = await dump(t.infra.dataSource);
    expect(findsAda(rebuilt)).toEqual([]);
    for (const date of plaintext)
      expect({ date, found: rebuilt.includes(date) }).toEqual({ date, found: false });

    // Years later, past both birthdays in one jump: Ben comes of age, once; Ada, erased, never.
    const later = new Date(Date.parse(`${birthdayOfAge(ada, 18)}T00:00:00Z`) + 3 * DAY);
    await s.moveClock({ now: later.toISOString() });
    await s.advanceDays(1);
    expect((await cameOfAge(t)).filter((id) => id === adaId || id === benId)).toEqual([benId]);
  });
});

describe('a database from before the came-of-age read model', () => {
  it('loses its birthday timers to the migration, and they fire no more', async () => {
    const url = await createTestDatabase('came_of_age');
    const old = await openDataSource(
      url,
      READ_MODEL_MIGRATIONS.filter((m) => m !== CameOfAge1732000017000),
    );
    const memberId = randomUUID();
    const payload = { familyId: randomUUID(), memberId };
    // One that came due and failed (waiting for its retry), one still to come, and one of
    // another kind that stays.
    await old.query(
      `INSERT INTO scheduled_timers (timer_id, kind, due_at, payload) VALUES
         ($1, 'family.came-of-age', '2020-05-20T00:00:00Z', $3),
         ($2, 'family.came-of-age', '2043-05-20T00:00:00Z', $3),
         ('erasure-shred:kept', 'erasure.shred', '2999-01-01T00:00:00Z', '{}')`,
      [`came-of-age:${memberId}`, `came-of-age:${randomUUID()}`, payload],
    );
    await old.query(
      `INSERT INTO timer_runs (timer_id, due_at, lease_owner, lease_until, attempts, last_error)
       VALUES ($1, '2020-05-20T00:00:00Z', $2, now() - interval '1 hour', 1, 'Member is not 18 yet')`,
      [`came-of-age:${memberId}`, randomUUID()],
    );
    await old.destroy();

    const t = await startTestApp({ DATABASE_URL: url });
    try {
      const left = async () =>
        t.infra.dataSource.query(
          `SELECT timer_id FROM scheduled_timers WHERE timer_id NOT LIKE 'dashboard-calendar%'
           UNION ALL SELECT timer_id FROM timer_runs WHERE timer_id LIKE 'came-of-age:%'`,
        );
      expect(await left()).toEqual([{ timer_id: 'erasure-shred:kept' }]);
      const moved = await httpSession(t).advanceDays(2);
      expect(moved.timersFired).toBe(0);
      expect(await left()).toEqual([{ timer_id: 'erasure-shred:kept' }]);
      expect(await cameOfAge(t)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
