import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();

describe('escalation steps: withdrawal, reopening and invalid input', () => {
  let t: TestApp;
  let sanne: string;
  let outsider: string;
  let familyPath: string;
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp({ TIMER_INTERVAL_MS: '0' });
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    outsider = await t.token({ sub: 'prof-out', teams: [randomUUID()] });
    const family = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [{ givenName: 'Eva', familyName: 'Kok', dateOfBirth: '1985-02-02', role: 'parent' }],
    });
    familyPath = `/api/v1/families/${family.familyId}`;
    await s.openPlanWithCasusregie(sanne, family.familyId, 'prof-sanne');
  });
  afterAll(async () => t?.close());

  const view = async (escalationId: string) =>
    (await s.read(sanne, `/api/v1/escalations/${escalationId}`).expect(200)).body;

  async function eventCount(): Promise<number> {
    const rows: Array<{ n: number }> = await t.infra.dataSource.query(
      'SELECT count(*)::int AS n FROM events',
    );
    return rows[0].n;
  }

  const signal = () =>
    s.send(
      sanne,
      'post',
      `${familyPath}/signals`,
      { category: 'agreements_not_kept', description: 'Afspraken niet nagekomen' },
      201,
    );

  it('withdraws with a reason, reopens once within the window, and keeps both in the history', async () => {
    const { escalationId } = await signal();
    const e = `/api/v1/escalations/${escalationId}`;
    await s.send(sanne, 'post', `${e}/withdrawal`, { reason: 'Dubbel gemeld' }, 200);
    await s.send(sanne, 'post', `${e}/withdrawal`, { reason: 'Nog eens' }, 409);
    expect(await view(escalationId)).toMatchObject({
      status: 'withdrawn',
      withdrawalReason: 'Dubbel gemeld',
      dueAt: null,
    });

    await s.send(sanne, 'post', `${e}/reopening`, { reason: 'De stagnatie is terug' }, 200);
    const reopened = await view(escalationId);
    expect(reopened).toMatchObject({ status: 'open', level: 0, reopened: 1, respondedAt: null });
    expect(reopened.history.map((h: { event: string }) => h.event)).toEqual([
      'SignalRaised',
      'Withdrawn',
      'Reopened',
    ]);
    expect(reopened.history[2].details.reason).toBe('De stagnatie is terug');

    await s.send(sanne, 'post', `${e}/resolution`, { outcome: 'Afspraken hersteld' }, 200);
    const again = await s.send(sanne, 'post', `${e}/reopening`, { reason: 'Weer mis' }, 422);
    expect(again.detail).toMatch(/only once/);
  });

  it('refuses a reopening after the 30-day window', async () => {
    const { escalationId } = await signal();
    const e = `/api/v1/escalations/${escalationId}`;
    await s.send(sanne, 'post', `${e}/acknowledgement`, {}, 200);
    await s.send(sanne, 'post', `${e}/resolution`, { outcome: 'Opgelost' }, 200);
    await s.advanceDays(31);
    const late = await s.send(sanne, 'post', `${e}/reopening`, { reason: 'Weer mis' }, 422);
    expect(late.detail).toMatch(/within 30 days/);
  });

  it('names each bad field, answers 404 to strangers and for unknown ids, and appends nothing', async () => {
    const { escalationId } = await signal();
    const e = `/api/v1/escalations/${escalationId}`;
    const before = await eventCount();
    const cases: Array<[string, object, string[]]> = [
      [
        `${familyPath}/signals`,
        { category: 'boredom', description: '' },
        ['category', 'description'],
      ],
      [`${familyPath}/signals`, { category: 'safety', description: 'x', urgent: true }, ['urgent']],
      [`${e}/escalation`, {}, ['reason']],
      [`${e}/appointment`, { professionalId: '', name: 7 }, ['name', 'professionalId']],
      [
        `${e}/decision`,
        { solution: '', maatwerk: 'willekeur', justification: 'x', budgetEuros: -5 },
        ['budgetEuros', 'directives', 'maatwerk', 'solution'],
      ],
      [
        `${e}/decision`,
        {
          solution: 's',
          maatwerk: 'combinatie',
          justification: 'j',
          directives: [{ organisation: '', dueDate: '2027-02-30' }],
        },
        ['directives[0].description', 'directives[0].dueDate', 'directives[0].organisation'],
      ],
      [`${e}/resolution`, { reason: 'x' }, ['outcome', 'reason']],
      [`${e}/withdrawal`, { reason: '' }, ['reason']],
      [`${e}/reopening`, {}, ['reason']],
      [`${e}/acknowledgement`, { now: true }, ['now']],
    ];
    for (const [path, body, fields] of cases) {
      const response = await s.send(sanne, 'post', path, body, 400);
      expect([path, response.errors.map((x: { field: string }) => x.field).sort()]).toEqual([
        path,
        fields,
      ]);
    }
    await s.send(sanne, 'post', '/api/v1/escalations/not-a-uuid/acknowledgement', {}, 400);
    await s.send(sanne, 'post', `/api/v1/escalations/${randomUUID()}/acknowledgement`, {}, 404);
    await s.send(outsider, 'post', `${e}/acknowledgement`, {}, 404);
    await s.send(
      outsider,
      'post',
      `${familyPath}/signals`,
      { category: 'safety', description: 'x' },
      404,
    );
    await s.send(
      sanne,
      'post',
      `/api/v1/families/${randomUUID()}/signals`,
      { category: 'safety', description: 'x' },
      404,
    );
    await s.send(sanne, 'post', `${e}/directives/${randomUUID()}/completion`, {}, 404);
    await s.read(outsider, e).expect(404);
    await s.read(sanne, `/api/v1/escalations/${randomUUID()}`).expect(404);
    await s.read(sanne, '/api/v1/escalations?status=lost').expect(400);
    expect(await eventCount()).toBe(before);
  });

  it('documents the regie, escalation, inbox and notification endpoints in OpenAPI', async () => {
    const paths = Object.keys((await t.http.get('/docs-json').expect(200)).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/families/{familyId}/signals',
        '/api/v1/escalations',
        '/api/v1/escalations/{escalationId}',
        '/api/v1/escalations/{escalationId}/decision',
        '/api/v1/escalations/{escalationId}/reopening',
        '/api/v1/me/inbox',
        '/api/v1/me/notifications',
      ]),
    );
  });
});
