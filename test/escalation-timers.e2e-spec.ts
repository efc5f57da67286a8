import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase } from './support/test-database.js';

const TEAM = randomUUID();
const DAY = 24 * 60 * 60 * 1000;
const bearer = { type: 'bearer' as const };

/** Settings every instance of one installation shares: database, keys, dev-token secret. */
async function installation(): Promise<Record<string, string>> {
  return {
    DATABASE_URL: await createTestDatabase('timers'),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-timers-')),
    MASTER_KEY: randomBytes(32).toString('base64'),
  };
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A family with an agreed plan; `casusregie` says whether Sanne holds casusregie. */
async function agreedPlan(t: TestApp, token: string, casusregie: boolean) {
  const post = async (path: string, body: object, status = 200) =>
    (await t.http.post(path).auth(token, bearer).send(body).expect(status)).body;
  const family = await post(
    '/api/v1/families',
    {
      teamId: TEAM,
      members: [
        { givenName: 'Paulien', familyName: 'Smit', dateOfBirth: '1990-01-01', role: 'parent' },
      ],
    },
    201,
  );
  const f = `/api/v1/families/${family.familyId}`;
  const plan = await post(`${f}/plan`, {}, 201);
  if (casusregie) {
    await t.http
      .put(`${f}/regie/casusregie`)
      .auth(token, bearer)
      .send({ professionalId: 'prof-sanne' })
      .expect(200);
  }
  const concerns = [family.memberIds[0]];
  const goal = await post(
    `${f}/plan/goals`,
    { familyWording: 'Een huis', concerns, lifeDomain: 'housing' },
    201,
  );
  const today = new Date().toISOString().slice(0, 10);
  const action = await post(
    `${f}/plan/actions`,
    {
      goalId: goal.goalId,
      description: 'Bellen',
      assignee: { kind: 'member', id: concerns[0] },
      dueDate: today,
    },
    201,
  );
  await post(`${f}/plan/signatures`, { party: { kind: 'member', id: concerns[0] } });
  return {
    familyId: family.familyId as string,
    planId: plan.planId as string,
    actionId: action.actionId as string,
    f,
  };
}

async function events(t: TestApp, type: string, streamId?: string) {
  const rows: Array<{ stream_id: string; data: Record<string, unknown> }> =
    await t.infra.dataSource.query(
      `SELECT stream_id, data FROM events WHERE type = $1 AND ($2::text IS NULL OR stream_id = $2) ORDER BY seq`,
      [type, streamId ?? null],
    );
  return rows;
}

describe('durable deadlines across restarts and instances', () => {
  const running: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp(env);
    running.push(app);
    return app;
  };
  const stop = async (app: TestApp) => {
    running.splice(running.indexOf(app), 1);
    await app.close();
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()));
  });

  it('fires a deadline that passed while the server was down, exactly once, after it starts again', async () => {
    const shared = await installation();
    const first = await start({ ...shared, TIMER_INTERVAL_MS: '0' });
    const sanne = await first.token({ teams: [TEAM] });
    const { f } = await agreedPlan(first, sanne, true);
    const signal = (
      await first.http
        .post(`${f}/signals`)
        .auth(sanne, bearer)
        .send({ category: 'waiting_list', description: 'Wachtlijst GGZ te lang' })
        .expect(201)
    ).body;
    const escalation = `/api/v1/escalations/${signal.escalationId}`;
    const before = (
      await first.http
        .get(escalation)
        .auth(sanne, bearer)
        .set('X-Consistent-After', signal.position)
        .expect(200)
    ).body;
    expect(before).toMatchObject({ level: 0, holder: { professionalId: 'prof-sanne' } });
    await stop(first);

    // Down until an hour past the acknowledgement deadline; then the server starts again.
    const restartAt = new Date(
      Date.parse(before.deadlines.respondBy) + 60 * 60 * 1000,
    ).toISOString();
    const second = await start({ ...shared, DEV_CLOCK_START: restartAt, TIMER_INTERVAL_MS: '100' });
    const stream = `escalation-${signal.escalationId}`;
    await until(
      async () =>
        (await events(second, 'escalation.Escalated', stream)).length > 0 ? true : undefined,
      'the deadline to fire',
    );
    await second.http.post('/api/v1/dev/clock').send({ advanceDays: 0 }).expect(200);
    await new Promise((r) => setTimeout(r, 500));
    const escalated = await events(second, 'escalation.Escalated', stream);
    expect(escalated.map((e) => e.data)).toEqual([
      expect.objectContaining({ fromLevel: 0, toLevel: 1, automatic: true }),
    ]);
    await stop(second);

    // A third start, still past that deadline, fires nothing again.
    const third = await start({ ...shared, DEV_CLOCK_START: restartAt, TIMER_INTERVAL_MS: '100' });
    await third.http.post('/api/v1/dev/clock').send({ advanceDays: 0 }).expect(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await events(third, 'escalation.Escalated', stream)).toHaveLength(1);
  });

  it('raises each automatic signal once when two server instances share the database', async () => {
    const shared = await installation();
    const setup = await start({ ...shared, TIMER_INTERVAL_MS: '0' });
    const sanne = await setup.token({ teams: [TEAM] });
    // Agreed without a casusregisseur (vacant), an action due today, and no progress after.
    const stalled = await agreedPlan(setup, sanne, false);
    // Opened but never agreed.
    const unagreed = (
      await setup.http
        .post('/api/v1/families')
        .auth(sanne, bearer)
        .send({
          teamId: TEAM,
          members: [
            { givenName: 'Asha', familyName: 'B', dateOfBirth: '2000-01-01', role: 'parent' },
          ],
        })
        .expect(201)
    ).body;
    const unagreedPlan = (
      await setup.http
        .post(`/api/v1/families/${unagreed.familyId}/plan`)
        .auth(sanne, bearer)
        .expect(201)
    ).body;
    await stop(setup);

    const later = new Date(Date.now() + 70 * DAY).toISOString();
    const instances = await Promise.all([
      start({ ...shared, DEV_CLOCK_START: later, TIMER_INTERVAL_MS: '50' }),
      start({ ...shared, DEV_CLOCK_START: later, TIMER_INTERVAL_MS: '50' }),
    ]);
    await Promise.all(
      instances.map((app) =>
        app.http.post('/api/v1/dev/clock').send({ advanceDays: 0 }).expect(200),
      ),
    );
    await until(
      async () =>
        (await events(instances[0], 'escalation.SignalRaised')).length >= 4 ? true : undefined,
      'four signals',
    );
    await Promise.all(
      instances.map((app) =>
        app.http.post('/api/v1/dev/clock').send({ advanceDays: 0 }).expect(200),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));

    const causes = (await events(instances[1], 'escalation.SignalRaised')).map(
      (e) => e.data.cause as string,
    );
    expect(causes).toHaveLength(4);
    expect(causes).toEqual(
      expect.arrayContaining([
        `action-overdue:${stalled.actionId}`,
        expect.stringMatching(new RegExp(`^no-progress:${stalled.planId}:`)),
        `plan-not-agreed:${unagreedPlan.planId}`,
        expect.stringMatching(new RegExp(`^regie-vacant:${stalled.planId}:`)),
      ]),
    );
  });
});
