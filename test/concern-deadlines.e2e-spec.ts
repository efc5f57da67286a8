import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { dump } from './support/database-dump.js';
import { DAAN_BSN, PAULIEN_AND_DAAN, teamWithAreas } from './support/concern-fixtures.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const STRANGER_BSN = '123456782';
/** The subject of the concern that is destroyed: in no other concern, so no index is shared. */
const LONELY_BSN = '987654317';
const STRANGER_NAME = 'Oosterhuis';
const STRANGER_WORRY = 'Meneer Oosterhuis komt zijn huis niet meer uit';
const DAAN_WORRY = 'Daan zit vaak alleen op het schoolplein';
const DAY = 24 * 60 * 60 * 1000;

interface Item {
  concernId: string;
  status: string;
  overdue: boolean;
  dueAt: string | null;
}

/** The stored events of one concern of a type, oldest first. */
async function eventsOf(t: TestApp, type: string, concernId: string) {
  const rows: Array<{ data: Record<string, unknown> }> = await t.infra.dataSource.query(
    `SELECT data FROM events WHERE type = $1 AND data->>'concernId' = $2 ORDER BY seq`,
    [type, concernId],
  );
  return rows.map((r) => r.data);
}

/** A team of the Haven wijk and its lead; `admin` creates it. */

describe('concern deadlines, alerts and destruction', () => {
  let t: TestApp;
  let s: HttpSession;
  let haven: string;
  let sanne: string; // SLT Haven: intake
  let lead: string; // team lead of SLT Haven
  let teacher: string;
  let joke: string; // the Jansens' casusregisseur
  let familyId: string;
  let daan: string;

  const file = async (body: object) =>
    (await s.send(teacher, 'post', '/api/v1/concerns', body, 201)).concernId as string;
  const step = (id: string, what: string, body?: object, status = 200) =>
    s.send(sanne, 'post', `/api/v1/concerns/${id}/${what}`, body, status);
  const attempt = (id: string, outcome: string) =>
    step(id, 'contact-attempts', { kind: 'home_visit', outcome }, 201);
  const queue = async (query = '') =>
    (await s.read(sanne, `/api/v1/teams/${haven}/concerns${query}`).expect(200)).body
      .items as Item[];
  const about = (bsn: string, description: string, extra: object = {}) => ({
    subject: { bsn, postcode: '1354AB', houseNumber: '12' },
    category: 'loneliness',
    urgency: 'normal',
    description,
    ...extra,
  });
  const kinds = async (token: string) => (await s.notifications(token)).map((n) => n.kind);

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
    s = httpSession(t);
    haven = await teamWithAreas(t, s, 'Haven', ['1354']);
    sanne = await t.token({ sub: 'prof-sanne', teams: [haven] });
    lead = await t.token({ sub: 'lead-haven', roles: ['team_lead'], teams: [haven] });
    teacher = await t.token({ sub: 'prof-devries', organisation: 'De Regenboog' });
    joke = await t.token({ sub: 'prof-jgz', name: 'Joke', organisation: 'GGD Flevoland' });
    const family = await s.registerFamily(sanne, {
      teamId: haven,
      members: PAULIEN_AND_DAAN,
    });
    ({ familyId } = family);
    daan = family.memberIds[1];
    await s.joinCaseTeam(sanne, familyId, {
      professionalId: 'prof-jgz',
      name: 'Joke',
      organisation: 'GGD Flevoland',
      discipline: 'jeugdverpleegkundige',
    });
    await s.openPlanWithCasusregie(sanne, familyId, 'prof-jgz');
  });

  afterAll(() => t?.close());

  it('alerts the team lead once when nobody takes a concern up in time, never for one taken up', async () => {
    const late = await file(about(STRANGER_BSN, 'Niemand pakt dit op', { urgency: 'safety' }));
    const taken = await file(about(STRANGER_BSN, 'Dit wel', { urgency: 'safety' }));
    await step(taken, 'triage');
    const before = await queue();
    const dueAt = before.find((i) => i.concernId === late)!.dueAt!;
    expect(before.find((i) => i.concernId === late)).toMatchObject({ overdue: false });
    expect(await kinds(lead)).toEqual([]);

    const moved = await s.advancePast(dueAt);
    expect(moved.timersFired).toBeGreaterThan(0);
    expect(await eventsOf(t, 'concern.TriageOverdue', late)).toEqual([
      expect.objectContaining({ teamId: haven, dueAt }),
    ]);
    expect(await eventsOf(t, 'concern.TriageOverdue', taken)).toEqual([]);
    const alerts = await s.notifications(lead);
    expect(alerts).toEqual([
      {
        kind: 'concern_overdue',
        title: `Zorgsignaal (loneliness) niet opgepakt binnen de termijn (${dueAt.slice(0, 10)})`,
        escalationId: null,
      },
    ]);
    // Nobody else hears of it: not intake, not the reporter.
    expect(await kinds(sanne)).not.toContain('concern_overdue');
    expect(await kinds(teacher)).not.toContain('concern_overdue');

    const after = await queue();
    expect(after.find((i) => i.concernId === late)).toMatchObject({ overdue: true, dueAt });
    expect(after.find((i) => i.concernId === taken)).toMatchObject({
      status: 'in_triage',
      overdue: false,
    });
    const overdue = (await queue('?overdue=true')).map((i) => i.concernId);
    expect(overdue).toContain(late);
    expect(overdue).not.toContain(taken);
    expect((await queue('?overdue=false')).map((i) => i.concernId)).not.toContain(late);

    // More time passes, timers are processed again: still one alert.
    await s.advanceDays(3);
    expect(await eventsOf(t, 'concern.TriageOverdue', late)).toHaveLength(1);
    expect(await eventsOf(t, 'concern.TriageOverdue', taken)).toEqual([]);
    expect(await kinds(lead)).toEqual(['concern_overdue']);
    // The team lead's inbox holds it until somebody takes it up; intake's inbox never does.
    const alertsOf = async (token: string) =>
      (await s.read(token, '/api/v1/me/inbox').expect(200)).body.concernAlerts;
    expect(await alertsOf(lead)).toEqual([
      {
        concernId: late,
        teamId: haven,
        category: 'loneliness',
        alert: 'triage_overdue',
        since: expect.any(String),
      },
    ]);
    expect(await alertsOf(sanne)).toEqual([]);
    await step(late, 'triage');
    expect(await alertsOf(lead)).toEqual([]);
  });

  describe('outreach', () => {
    it('alerts the team lead once after three unanswered attempts', async () => {
      const id = await file(about(STRANGER_BSN, 'Buren horen niets meer'));
      await step(id, 'triage');
      const seen = (await kinds(lead)).length;
      await attempt(id, 'not_reached');
      await attempt(id, 'not_reached');
      expect(await eventsOf(t, 'concern.OutreachStalled', id)).toEqual([]);
      expect((await kinds(lead)).length).toBe(seen);
      await attempt(id, 'not_reached');
      await attempt(id, 'not_reached');
      expect(await eventsOf(t, 'concern.OutreachStalled', id)).toEqual([
        expect.objectContaining({ reason: 'not_reached', teamId: haven }),
      ]);
      const alerts = (await s.notifications(lead)).slice(seen);
      expect(alerts).toEqual([
        {
          kind: 'concern_outreach_stalled',
          title: expect.stringMatching(
            /^Outreach zorgsignaal \(loneliness\) vastgelopen: herhaaldelijk niet bereikt \(\d{4}-\d\d-\d\d\)$/,
          ),
          escalationId: null,
        },
      ]);
      expect((await s.read(sanne, `/api/v1/concerns/${id}`).expect(200)).body.status).toBe(
        'outreach',
      );
      const inbox = (await s.read(lead, '/api/v1/me/inbox').expect(200)).body;
      expect(inbox.concernAlerts).toContainEqual(
        expect.objectContaining({ concernId: id, alert: 'outreach_not_reached' }),
      );
    });

    it('closes a declined concern, but keeps a declined safety concern open and alerts the team lead', async () => {
      const declined = await file(about(STRANGER_BSN, 'Wil geen hulp'));
      const safety = await file(about(STRANGER_BSN, 'Gevaar', { category: 'safety' }));
      const seen = (await kinds(lead)).length;
      for (const id of [declined, safety]) {
        await step(id, 'triage');
        await attempt(id, 'declined');
      }
      const status = async (id: string) =>
        (await s.read(sanne, `/api/v1/concerns/${id}`).expect(200)).body.status;
      expect(await status(declined)).toBe('closed');
      expect(await status(safety)).toBe('outreach');
      expect((await s.notifications(lead)).slice(seen)).toEqual([
        {
          kind: 'concern_outreach_stalled',
          title: expect.stringMatching(/^Outreach zorgsignaal \(safety\) vastgelopen: contact/),
          escalationId: null,
        },
      ]);
    });
  });

  it('tells the casusregisseur of a linked concern at once, in the notification stream and the inbox', async () => {
    const id = await file(about(DAAN_BSN, DAAN_WORRY, { category: 'school_absence' }));
    const inboxCase = async () =>
      (
        (await s.read(joke, '/api/v1/me/inbox').expect(200)).body.cases as Array<{
          familyId: string;
          concerns: unknown[];
        }>
      ).find((c) => c.familyId === familyId)!;
    expect((await inboxCase()).concerns).toEqual([]);
    expect(await kinds(joke)).not.toContain('concern_linked');
    await step(id, 'triage');
    await step(id, 'link', { familyId, memberId: daan });

    const told = (await s.notifications(joke)).filter((n) => n.kind === 'concern_linked');
    expect(told).toEqual([
      {
        kind: 'concern_linked',
        title: expect.stringMatching(
          /^Zorgsignaal \(school_absence\) gekoppeld aan uw casus op \d{4}-\d\d-\d\d$/,
        ),
        escalationId: null,
      },
    ]);
    expect(JSON.stringify(told)).not.toContain('Daan');
    const rows = await t.infra.dataSource.query(
      `SELECT family_id FROM notifications WHERE kind = 'concern_linked'`,
    );
    expect(rows).toEqual([{ family_id: familyId }]);
    expect(await kinds(sanne)).not.toContain('concern_linked');

    const { concerns } = await inboxCase();
    expect(concerns).toEqual([
      { concernId: id, category: 'school_absence', linkedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(concerns)).not.toContain(DAAN_WORRY);
  });

  describe('retention', () => {
    let dismissed: string;
    let interrupted: string;
    let relinked: string;
    let digests: string[];
    let sealed: string;

    beforeAll(async () => {
      dismissed = await file(
        about(LONELY_BSN, STRANGER_WORRY, {
          subject: {
            bsn: LONELY_BSN,
            givenName: 'Kees',
            familyName: STRANGER_NAME,
            dateOfBirth: '1951-05-05',
            postcode: '1354AC',
            houseNumber: '7',
          },
        }),
      );
      await step(dismissed, 'triage');
      await step(dismissed, 'dismissal', { reason: 'Al in beeld bij de huisarts' });
      interrupted = await file(about(STRANGER_BSN, 'Wordt vernietigd, met een storing'));
      await step(interrupted, 'dismissal', { reason: 'Geen zorgen' });
      // Dismissed, reopened and then linked: part of the family's file from then on.
      relinked = await file(about(DAAN_BSN, DAAN_WORRY));
      await step(relinked, 'triage');
      await step(relinked, 'dismissal', { reason: 'Eerst afgewezen' });
      await step(relinked, 'reopening', { reason: 'Toch de Jansens' });
      await step(relinked, 'link', { familyId, memberId: daan });
      await s.settled();
      digests = (
        await t.infra.dataSource.query(
          'SELECT digest FROM concern_subject_digests WHERE concern_id = $1',
          [dismissed],
        )
      ).map((r: { digest: string }) => r.digest);
      [{ sealed }] = await t.infra.dataSource.query(
        `SELECT data->>'description' AS sealed FROM events
          WHERE type = 'concern.ConcernReceived' AND data->>'concernId' = $1`,
        [dismissed],
      );
    });

    it('keeps a dismissed concern until the retention months have passed', async () => {
      expect(digests.length).toBeGreaterThan(0);
      expect(await t.app.get(PersonalDataVault).open(sealed)).toBe(STRANGER_WORRY);
      await s.advanceDays(360);
      expect(await eventsOf(t, 'concern.ConcernDestroyed', dismissed)).toEqual([]);
      await s.read(sanne, `/api/v1/concerns/${dismissed}`).expect(200);
    });

    it('destroys a dismissed, never linked concern after the retention months: gone everywhere, unreadable in every table', async () => {
      // The process "dies" between recording the destruction of `interrupted` and its shred.
      const vault = t.app.get(PersonalDataVault);
      const shred = vault.shred.bind(vault);
      vault.shred = async (subjectId: string) => {
        if (subjectId !== interrupted) return shred(subjectId);
        vault.shred = shred;
        throw new Error('crashed before the shred');
      };
      await s.advanceDays(10);
      expect(await eventsOf(t, 'concern.ConcernDestroyed', dismissed)).toHaveLength(1);
      expect(await eventsOf(t, 'concern.ConcernDestroyed', interrupted)).toHaveLength(1);
      expect(await vault.isShredded(interrupted)).toBe(false);
      await s.read(sanne, `/api/v1/concerns/${dismissed}`).expect(404);
      await s.read(teacher, `/api/v1/concerns/${dismissed}`).expect(404);
      const mine = (await s.read(teacher, '/api/v1/concerns/mine').expect(200)).body.items;
      expect(mine.map((i: Item) => i.concernId)).not.toContain(dismissed);
      for (const query of ['', '?status=dismissed']) {
        expect((await queue(query)).map((i) => i.concernId)).not.toContain(dismissed);
      }
      // The key is gone: what the events hold of it can no longer be opened.
      expect(isErased(await vault.open(sealed))).toBe(true);
      expect(await vault.isShredded(dismissed)).toBe(true);
      await s.settled();
      const text = await dump(t.infra.dataSource);
      for (const trace of [STRANGER_WORRY, LONELY_BSN, STRANGER_NAME, ...digests]) {
        expect([trace, text.includes(trace)]).toEqual([trace, false]);
      }
    });

    it('shreds the key of a concern recorded as destroyed when the shred was interrupted', async () => {
      const vault = t.app.get(PersonalDataVault);
      // The timer is tried again after its backoff (2 s after a first failure).
      await new Promise((r) => setTimeout(r, 2500));
      await s.advanceDays(0);
      expect(await vault.isShredded(interrupted)).toBe(true);
      expect(await eventsOf(t, 'concern.ConcernDestroyed', interrupted)).toHaveLength(1);
      const [{ sealed: text }] = await t.infra.dataSource.query(
        `SELECT data->>'description' AS sealed FROM events
          WHERE type = 'concern.ConcernReceived' AND data->>'concernId' = $1`,
        [interrupted],
      );
      expect(isErased(await vault.open(text))).toBe(true);
      // Moving on fires nothing more for either.
      await s.advanceDays(30);
      expect(await eventsOf(t, 'concern.ConcernDestroyed', dismissed)).toHaveLength(1);
      expect(await eventsOf(t, 'concern.ConcernDestroyed', interrupted)).toHaveLength(1);
    });

    it('never destroys a concern that was linked to a family', async () => {
      expect(await eventsOf(t, 'concern.ConcernDestroyed', relinked)).toEqual([]);
      const kept = (await s.read(sanne, `/api/v1/concerns/${relinked}`).expect(200)).body;
      expect(kept).toMatchObject({ status: 'linked', familyId, description: DAAN_WORRY });
      expect(await t.app.get(PersonalDataVault).isShredded(relinked)).toBe(false);
    });
  });
});

describe('the triage deadline across restarts and instances', () => {
  const running: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp(env);
    running.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });

  it('fires a deadline that passed while no server ran, once, when two instances start', async () => {
    const shared = {
      DATABASE_URL: await createTestDatabase('concern_timers'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-concern-timers-')),
      MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const first = await start(shared);
    const s = httpSession(first);
    const haven = await teamWithAreas(first, s, 'Haven', ['1354']);
    const teacher = await first.token({ sub: 'prof-devries', organisation: 'De Regenboog' });
    const { concernId } = await s.send(
      teacher,
      'post',
      '/api/v1/concerns',
      {
        subject: { bsn: STRANGER_BSN, postcode: '1354AB', houseNumber: '1' },
        category: 'neglect',
        urgency: 'urgent',
        description: 'Kinderen alleen thuis',
      },
      201,
    );
    const [{ due }] = await first.infra.dataSource.query(
      `SELECT data->>'triageDueAt' AS due FROM events WHERE type = 'concern.ConcernReceived'`,
    );
    await running.splice(0)[0].close();

    // Down until well past the deadline; then two instances start on the same database.
    const later = new Date(Date.parse(due) + DAY).toISOString();
    const instances = await Promise.all([
      start({ ...shared, DEV_CLOCK_START: later, TIMER_INTERVAL_MS: '50' }),
      start({ ...shared, DEV_CLOCK_START: later, TIMER_INTERVAL_MS: '50' }),
    ]);
    await Promise.all(
      instances.map((app) =>
        app.http.post('/api/v1/dev/clock').send({ advanceDays: 0 }).expect(200),
      ),
    );
    const deadline = Date.now() + 15_000;
    while ((await eventsOf(instances[0], 'concern.TriageOverdue', concernId)).length === 0) {
      if (Date.now() > deadline) throw new Error('the triage deadline never fired');
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(
      instances.map((app) =>
        app.http.post('/api/v1/dev/clock').send({ advanceDays: 1 }).expect(200),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(await eventsOf(instances[1], 'concern.TriageOverdue', concernId)).toEqual([
      expect.objectContaining({ teamId: haven, dueAt: due }),
    ]);
    const lead = await instances[1].token({ sub: 'lead', roles: ['team_lead'], teams: [haven] });
    const session = httpSession(instances[1]);
    const head = await instances[1].http.post('/api/v1/dev/clock').send({}).expect(200);
    session.remember(head.body.position);
    expect((await session.notifications(lead)).map((n) => n.kind)).toEqual(['concern_overdue']);
  });
});
