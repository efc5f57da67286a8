import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { toDateString } from '#libs/clock/calendar.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { retentionEnds } from '../src/erasure/retention.timer.js';
import { ZgwOutboxStatus } from '../src/zaaksysteem/zgw-outbox.status.js';
import { ZgwOutboxWorker } from '../src/zaaksysteem/zgw-outbox.worker.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testConnection, zgwEnv, ZGW_CLIENT_ID, ZGW_SECRET } from './support/zgw/zgw-fixtures.js';
import {
  DAAN_BSN,
  describeByZaak,
  describeCalls,
  expectedCalls,
  lifecycle,
  NEVER_SENT,
  PAULIEN_BSN,
  type Lifecycle,
  type LifecycleIds,
} from './support/zgw/zgw-lifecycle.js';
import { ZgwTestServer } from './support/zgw/zgw-test-server.js';

/** A BSN that passes the 11-proof, for a member added late. */
const MILA_BSN = '123456782';

/** What the zaaksysteem holds after the lifecycle, each exactly once. */
const HELD = {
  zaken: 2,
  // opened, agreed twice, escalated, closed; the new zaak opened.
  statussen: 6,
  // The first zaak keeps Paulien, two behandelaars, the beslisser and Joke as zaakcoordinator;
  // the second Paulien and the two behandelaars.
  rollen: 8,
  resultaten: 1,
  besluiten: 1,
};

interface Harness {
  zgw: ZgwTestServer;
  t: TestApp;
  s: HttpSession;
  life: Lifecycle;
  close(): Promise<void>;
}

async function harness(env: Record<string, string>): Promise<Harness> {
  const zgw = await ZgwTestServer.start({ secret: ZGW_SECRET, clientId: ZGW_CLIENT_ID });
  const dir = mkdtempSync(join(tmpdir(), 'egep-zgw-'));
  const t = await startTestApp({ ...zgwEnv(testConnection(zgw), dir), ...env });
  const s = httpSession(t);
  return {
    zgw,
    t,
    s,
    life: await lifecycle(t, s),
    async close() {
      await t.close();
      await zgw.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const archiefactiedatum = (t: TestApp, ids: LifecycleIds) =>
  toDateString(retentionEnds(ids.closedAt, t.infra.config.RETENTION_YEARS));

function counts(zgw: ZgwTestServer) {
  return Object.fromEntries(Object.keys(HELD).map((c) => [c, zgw.all(c).length]));
}

describe('a plan’s whole life registered in the zaaksysteem (a test server checks every request against the specifications)', () => {
  let h: Harness;
  let ids: LifecycleIds;

  /** Sends, in the test's own time, what the outbox holds once the projections caught up. */
  async function delivered() {
    await h.s.settled();
    const worker = h.t.app.get(ZgwOutboxWorker);
    while ((await worker.deliverDue()) > 0);
    expect(await h.t.app.get(ZgwOutboxStatus).backlog()).toEqual({
      backlog: 0,
      oldestAgeSeconds: 0,
    });
  }

  beforeAll(async () => {
    // The worker does not run by itself here: delivered() sends when the test says so.
    h = await harness({ ZGW_POLL_MS: '0' });
    ids = await h.life.run();
    await delivered();
  });
  afterAll(async () => h?.close());

  it('sends the calls each step needs, in order, every one valid against the specifications', () => {
    expect(describeCalls(h.zgw.requests)).toEqual(expectedCalls(ids, archiefactiedatum(h.t, ids)));
    expect(
      h.zgw.requests.every((r) => r.outcome === 200 || r.outcome === 201 || r.outcome === 204),
    ).toBe(true);
    expect(h.zgw.violations).toEqual([]);
  });

  it('holds every zaak, status, rol, resultaat and besluit once, the new zaak following the old', () => {
    expect(counts(h.zgw)).toEqual(HELD);
    const [first, second] = h.zgw.all('zaken');
    expect(first).toMatchObject({
      identificatie: `GZP-${ids.firstPlan}`,
      vertrouwelijkheidaanduiding: 'vertrouwelijk',
      archiefnominatie: 'vernietigen',
      resultaat: h.zgw.all('resultaten')[0].url,
    });
    expect(second.relevanteAndereZaken).toEqual([{ url: first.url, aardRelatie: 'vervolg' }]);
    expect(h.zgw.all('besluiten')[0]).toMatchObject({ zaak: first.url });
  });

  it('sends no personal data but the BSNs of belanghebbende rollen', () => {
    for (const request of h.zgw.requests) {
      const { authorization, ...headers } = request.headers;
      const sent = JSON.stringify({ url: request.url, headers, body: request.body });
      for (const text of NEVER_SENT)
        expect({ url: request.url, has: sent.includes(text) && text }).toEqual({
          url: request.url,
          has: false,
        });
      const claims = decodeJwt(String(authorization).slice('Bearer '.length));
      expect(claims).toMatchObject({ user_id: 'een-gezin-een-plan', client_id: ZGW_CLIENT_ID });
      const body = request.body as { betrokkeneType?: string } | undefined;
      const bsns = [PAULIEN_BSN, DAAN_BSN].filter((bsn) => sent.includes(bsn));
      if (bsns.length > 0) {
        expect({ operation: request.operationId, type: body?.betrokkeneType }).toEqual({
          operation: 'rol_create',
          type: 'natuurlijk_persoon',
        });
      }
    }
  });

  it('shows the casusregisseur the zaak and whether it is up to date, and /health and /metrics the backlog', async () => {
    const { sanne, jgz } = h.life.tokens;
    const f = `/api/v1/families/${ids.familyId}`;
    await h.s.send(sanne, 'put', `${f}/regie/casusregie`, { professionalId: 'prof-jgz' }, 200);
    await h.s.settled();
    const zaak = { identificatie: `GZP-${ids.secondPlan}` };
    expect((await h.s.read(jgz, `${f}/plan`).expect(200)).body.zaak).toEqual({
      ...zaak,
      upToDate: false,
    });
    // A case-team colleague sees the plan, not its registration.
    expect((await h.s.read(sanne, `${f}/plan`).expect(200)).body).not.toHaveProperty('zaak');
    const health = (await h.t.http.get('/health').expect(200)).body;
    expect(health.details.zaaksysteem).toEqual({
      status: 'up',
      backlog: 1,
      oldestAgeSeconds: expect.any(Number),
    });
    expect((await h.t.http.get('/metrics').expect(200)).text).toMatch(/^zgw_outbox_backlog 1$/m);

    await delivered();
    expect(describeCalls(h.zgw.requests).at(-1)).toBe('rol_create zaakcoordinator prof-jgz');
    expect((await h.s.read(jgz, `${f}/plan`).expect(200)).body.zaak).toEqual({
      ...zaak,
      upToDate: true,
    });
    const metrics = (await h.t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^zgw_outbox_backlog 0$/m);
    expect(metrics).toMatch(/^zgw_outbox_oldest_age_seconds 0$/m);
  });

  /** Erases a member as the privacy officer grants it: every key of theirs destroyed. */
  async function erase(memberId: string) {
    const officer = await h.t.token({
      sub: 'po-pim',
      name: 'Pim',
      organisation: 'Gemeente Almere',
      roles: ['privacy_officer'],
    });
    const member = `/api/v1/families/${ids.familyId}/members/${memberId}`;
    const { sanne } = h.life.tokens;
    const { requestId } = await h.s.send(
      sanne,
      'post',
      `${member}/erasure-requests`,
      { reason: 'Wil niet geregistreerd blijven' },
      201,
    );
    await h.s.send(
      officer,
      'post',
      `/api/v1/erasure-requests/${requestId}/decision`,
      { grant: true, reason: 'Geen bewaarplicht meer' },
      200,
    );
  }

  it('destroys an erased member’s rol in every zaak of the family, the closed one too', async () => {
    const before = describeCalls(h.zgw.requests).length;
    await erase(ids.memberIds[0]);
    await delivered();
    expect(describeCalls(h.zgw.requests).slice(before)).toEqual([
      `rol_destroy belanghebbende ${PAULIEN_BSN}`,
      `rol_destroy belanghebbende ${PAULIEN_BSN}`,
    ]);
    expect(JSON.stringify(h.zgw.all('rollen'))).not.toContain(PAULIEN_BSN);
  });

  it('never sends the BSN of a member erased before their rol was sent', async () => {
    const { jgz } = h.life.tokens;
    const sent = h.zgw.requests.length;
    const { memberId } = await h.s.send(
      jgz,
      'post',
      `/api/v1/families/${ids.familyId}/members`,
      {
        givenName: 'Mila',
        familyName: 'de Boer',
        dateOfBirth: '2015-09-09',
        role: 'child',
        bsn: MILA_BSN,
      },
      201,
    );
    await h.s.settled();
    expect(await h.t.app.get(ZgwOutboxStatus).backlog()).toMatchObject({ backlog: 1 });
    await erase(memberId);
    await delivered();
    expect(h.zgw.requests.slice(sent)).toEqual([]);
    const outcomes: Array<{ kind: string; outcome: string }> = await h.t.infra.dataSource.query(
      `SELECT kind, outcome FROM zgw_sent WHERE family_id = $1 ORDER BY n DESC LIMIT 2`,
      [ids.familyId],
    );
    expect(outcomes).toEqual([
      { kind: 'destroyRol', outcome: 'skipped' },
      { kind: 'createRol', outcome: 'skipped' },
    ]);
  });

  it('sends nothing again after the outbox is rebuilt from the events', async () => {
    const runner = h.t.app.get(ProjectionRunner);
    const before = await runner.checksum('zaaksysteem-outbox');
    const sent = h.zgw.requests.length;
    const rebuilt = await runner.rebuild('zaaksysteem-outbox');
    expect(rebuilt.checksum).toBe(before);
    expect(await h.t.app.get(ZgwOutboxWorker).deliverDue()).toBe(0);
    expect(await h.t.app.get(ZgwOutboxStatus).backlog()).toMatchObject({ backlog: 0 });
    expect(h.zgw.requests).toHaveLength(sent);
  });
});

describe('the zaaksysteem refusing, down for a while, and losing answers', () => {
  let h: Harness;
  afterAll(async () => h?.close());

  /** Waits until the worker, running by itself, has sent everything the outbox holds. */
  async function sent() {
    await h.s.settled();
    const status = h.t.app.get(ZgwOutboxStatus);
    const deadline = Date.now() + 15_000;
    while ((await status.backlog()).backlog > 0) {
      if (Date.now() > deadline) throw new Error('the outbox was not sent within 15 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('ends with every zaak, status, rol, resultaat and besluit exactly once, made in order', async () => {
    h = await harness({ ZGW_POLL_MS: '20', ZGW_RETRY_MAX_MS: '50' });
    const { zgw } = h;
    const ids = await h.life.run(async (step) => {
      switch (step) {
        case 'registered':
          // Refuses the plan's first requests (503), as an overloaded zaaksysteem does.
          return zgw.refuse(3);
        case 'opened':
          // The zaak is made, but its answer is lost: it is found by identificatie, not made again.
          return zgw.dropAnswerAfterCreate(1);
        case 'agreed':
          await sent();
          // The status of the agreement is made, its answer lost.
          return zgw.dropAnswerAfterCreate(1);
        case 'escalated':
          await sent();
          return zgw.down();
        case 'regieChanged': {
          await h.s.settled();
          const health = (await h.t.http.get('/health').expect(200)).body;
          expect(health.details.zaaksysteem.backlog).toBeGreaterThan(0);
          await zgw.up();
          await sent();
          // The new zaakcoordinator's rol is made, its answer lost.
          return zgw.dropAnswerAfterCreate(1);
        }
        case 'closed':
          await sent();
          // The resultaat is made, its answer lost.
          return zgw.dropAnswerAfterCreate(1);
        default:
          return;
      }
    });
    await sent();

    const outcomes = zgw.requests.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 503)).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'dropped')).toHaveLength(4);
    expect(describeCalls(zgw.requests, true)).toEqual(
      expectedCalls(ids, archiefactiedatum(h.t, ids)).filter((c) => !c.startsWith('zaak_list')),
    );
    expect(counts(zgw)).toEqual(HELD);
    expect(zgw.violations).toEqual([]);
  });
});

/** The expected calls of one zaak of the lifecycle, in order, without the look-ups. */
function describeByZaakOf(ids: LifecycleIds, zaak: string, archiefactiedatum: string): string[] {
  const all = expectedCalls(ids, archiefactiedatum);
  // The first zaak's calls run until the second zaak's look-up; the rest are the second's.
  const split = all.indexOf(`zaak_list GZP-${ids.secondPlan}`);
  const own = zaak === `GZP-${ids.firstPlan}` ? all.slice(0, split) : all.slice(split);
  return own.filter((c) => !c.startsWith('zaak_list'));
}

describe('two server instances sending one outbox', () => {
  let h: Harness;
  let other: TestApp;
  afterAll(async () => {
    await other?.close();
    await h?.close();
  });

  it('send each call once, in order, whichever instance takes a family', async () => {
    // One master key, as every instance of a deployment has: either may open a member's BSN.
    const MASTER_KEY = randomBytes(32).toString('base64');
    h = await harness({ ZGW_POLL_MS: '0', MASTER_KEY });
    other = await startTestApp({
      MASTER_KEY,
      ...zgwEnv(testConnection(h.zgw), mkdtempSync(join(tmpdir(), 'egep-zgw-'))),
      DATABASE_URL: h.t.infra.databaseUrl,
      ZGW_POLL_MS: '0',
    });
    const first = await h.life.run();
    const second = await (await lifecycle(h.t, h.s)).run();
    await h.s.settled();
    const workers = [h.t.app.get(ZgwOutboxWorker), other.app.get(ZgwOutboxWorker)];
    // Both look at once, round after round, until neither finds anything.
    for (;;) {
      const sent = await Promise.all(workers.map((w) => w.deliverDue()));
      if (sent.every((n) => n === 0)) break;
    }
    // Per zaak, each call once and in its order, whichever instance sent it.
    const made = describeByZaak(h.zgw.requests, true);
    for (const ids of [first, second]) {
      for (const plan of [ids.firstPlan, ids.secondPlan]) {
        const zaak = `GZP-${plan}`;
        const expected = describeByZaakOf(ids, zaak, archiefactiedatum(h.t, ids));
        expect({ zaak, calls: made.filter((c) => c.zaak === zaak).map((c) => c.line) }).toEqual({
          zaak,
          calls: expected,
        });
      }
    }
    expect(counts(h.zgw)).toEqual(
      Object.fromEntries(Object.entries(HELD).map(([c, n]) => [c, n * 2])),
    );
    expect(h.zgw.violations).toEqual([]);
  });
});
