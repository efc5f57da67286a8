import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addMonths } from '#libs/clock/calendar.js';
import { AdjustableClock } from '#libs/clock/index.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import type { NewEvent } from '#libs/event-store/event-envelope.js';
import { evolvePlan, INITIAL_PLAN_STATE } from '../src/plans/plan.evolve.js';
import type { PlanEvent } from '../src/plans/plan.events.js';
import { CloudEvent } from 'cloudevents';
import { AUDIT_CLI, runCli } from './support/server-process.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();
/** The organisation's OIN this server is configured with: every export's `source` names it. */
const OIN = '00000001001234567000';
const BSN = '111222333';

describe('audit: history, time travel and export', () => {
  let t: TestApp;
  let sanne: string;
  let auditor: string;
  let s: HttpSession;

  const masterKey = Buffer.alloc(32, 7).toString('base64');

  beforeAll(async () => {
    t = await startTestApp({ MASTER_KEY: masterKey, ORGANISATION_OIN: OIN });
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    auditor = await t.token({
      sub: 'aud-1',
      name: 'Anna Audit',
      organisation: 'Auditdienst',
      roles: ['auditor'],
      teams: [],
    });
  });
  afterAll(async () => t?.close());

  const tomorrow = () => (t.infra.clock as AdjustableClock).advanceDays(1);

  async function family() {
    const registered = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [
        { givenName: 'Paulien', familyName: 'Audit', dateOfBirth: '1990-01-01', role: 'parent' },
      ],
    });
    return { ...registered, f: `/api/v1/families/${registered.familyId}` };
  }

  /** A plan with casusregie and one goal about `memberId`, signed for that member. */
  async function planSignedBy(familyId: string, memberId: string) {
    const f = `/api/v1/families/${familyId}`;
    await s.openPlanWithCasusregie(sanne, familyId, 'prof-sanne');
    await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      { familyWording: 'Een huis', concerns: [memberId], lifeDomain: 'housing' },
      201,
    );
    await s.send(
      sanne,
      'post',
      `${f}/plan/signatures`,
      { party: { kind: 'member', id: memberId } },
      200,
    );
  }

  it('lists every event of the family, plan and escalation streams in global order, pseudonymised', async () => {
    const { familyId, memberIds, f } = await family();
    await planSignedBy(familyId, memberIds[0]);
    await s.send(
      sanne,
      'post',
      `${f}/signals`,
      { category: 'waiting_list', description: 'Wachtlijst' },
      201,
    );

    const history = (
      await s.read(auditor, `/api/v1/audit/families/${familyId}/history`).expect(200)
    ).body.events;
    expect(history.map((e: { type: string }) => e.type)).toEqual([
      'family.FamilyRegistered.v1',
      'family.ProfessionalJoinedCaseTeam.v1',
      'gezinsplan.PlanOpened.v1',
      'gezinsplan.RegieAssigned.v1',
      'gezinsplan.GoalAdded.v1',
      'gezinsplan.PlanSigned.v1',
      'gezinsplan.PlanAgreed.v1',
      'escalation.SignalRaised.v1',
    ]);
    const positions = history.map((e: { position: string }) => e.position.split('-').map(BigInt));
    for (let i = 1; i < positions.length; i += 1) {
      const [a, b] = [positions[i - 1], positions[i]];
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
    }
    const signed = history.find((e: { type: string }) => e.type === 'gezinsplan.PlanSigned.v1');
    expect(signed).toMatchObject({ actor: { userId: 'prof-sanne' }, onBehalfOf: memberIds[0] });
    const text = JSON.stringify(history);
    expect(text).not.toContain('Paulien');
    expect(text).not.toContain('Een huis');
    expect(text).toContain('[sealed]');

    await s.read(sanne, `/api/v1/audit/families/${familyId}/history`).expect(404);
    await s.read(auditor, `/api/v1/audit/families/${randomUUID()}/history`).expect(404);
    const logged: Array<{ resource: string }> = await t.infra.dataSource.query(
      `SELECT resource FROM access_log WHERE user_id = 'aud-1' AND family_id = $1`,
      [familyId],
    );
    expect(logged.map((r) => r.resource)).toEqual(['history']);
  });

  it('shows the family and plan as they were at a past moment', async () => {
    const { familyId, memberIds, f } = await family();
    await s.send(sanne, 'post', `${f}/plan`, {}, 201);
    const opened = t.infra.clock.now().toISOString();
    tomorrow();
    await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      { familyWording: 'Een huis', concerns: [memberIds[0]], lifeDomain: 'housing' },
      201,
    );
    await s.send(
      sanne,
      'post',
      `${f}/plan/signatures`,
      { party: { kind: 'member', id: memberIds[0] } },
      200,
    );
    const agreed = t.infra.clock.now().toISOString();
    tomorrow();
    await s.send(sanne, 'post', `${f}/plan/closure`, { reason: 'goals_achieved' }, 200);

    const at = async (asOf: string) =>
      (
        await s
          .read(
            auditor,
            `/api/v1/audit/families/${familyId}/state?asOf=${encodeURIComponent(asOf)}`,
          )
          .expect(200)
      ).body;
    expect((await at(opened)).plan).toMatchObject({ status: 'draft', version: 1, goals: [] });
    const thenAgreed = await at(agreed);
    expect(thenAgreed.plan).toMatchObject({
      status: 'agreed',
      goals: [{ lifecycleStatus: 'proposed' }],
    });
    expect(JSON.stringify(thenAgreed)).not.toContain('Een huis'); // an auditor sees metadata, pseudonymised
    expect(thenAgreed.family.members[0]).toMatchObject({ pseudonym: expect.stringMatching(/^P-/) });
    expect((await at(t.infra.clock.now().toISOString())).plan.status).toBe('closed');
    await s.read(auditor, `/api/v1/audit/families/${familyId}/state?asOf=yesterday`).expect(400);
  });

  it('verifies the hash chain, and names exactly the event whose stored bytes were changed', async () => {
    const { familyId, memberIds, f } = await family();
    await s.send(sanne, 'post', `${f}/plan`, {}, 201);
    await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      { familyWording: 'Een huis', concerns: [memberIds[0]], lifeDomain: 'housing' },
      201,
    );
    const path = `/api/v1/audit/families/${familyId}/verification`;
    const before = (await s.read(auditor, path).expect(200)).body;
    expect(before).toMatchObject({ valid: true, events: 4, firstBroken: null });

    const [goal]: Array<{ event_id: string; data: string }> = await t.infra.dataSource.query(
      `SELECT event_id, data::text AS data FROM events WHERE stream_id = $1 AND type = 'gezinsplan.GoalAdded'`,
      [`gezinsplan-${familyId}`],
    );
    // One byte: the life domain 'housing' becomes 'hous1ng'.
    await t.infra.dataSource.query(
      `UPDATE events SET data = jsonb_set(data, '{goal,lifeDomain}', '"hous1ng"') WHERE event_id = $1`,
      [goal.event_id],
    );
    const after = (await s.read(auditor, path).expect(200)).body;
    expect(after).toMatchObject({
      valid: false,
      firstBroken: {
        streamId: `gezinsplan-${familyId}`,
        eventId: goal.event_id,
        streamVersion: 1,
        reason: 'hash-mismatch',
      },
    });
    expect(
      after.streams.find((s: { streamId: string }) => s.streamId === `family-${familyId}`).valid,
    ).toBe(true);
    await s.read(sanne, path).expect(404);
  });

  it('exports the history as CloudEvents after the NL GOV profile, one JSON object per line', async () => {
    const registered = await s.registerFamily(sanne, {
      teamId: TEAM,
      members: [
        {
          givenName: 'Paulien',
          familyName: 'Exportvrouw',
          dateOfBirth: '1990-01-01',
          role: 'parent',
          bsn: BSN,
        },
      ],
    });
    const { familyId, memberIds } = registered;
    // The member's signature: its event names the member as the one acted for.
    await planSignedBy(familyId, memberIds[0]);
    const response = await s.read(auditor, `/api/v1/audit/families/${familyId}/export`).expect(200);
    expect(response.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = response.text.trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    // Who a context attribute may never name (the profile: no personal data), nor the case.
    const forbidden = ['Paulien', 'Exportvrouw', BSN, 'prof-sanne', ...memberIds, familyId];
    const exported = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of exported) {
      // The SDK's own validation (strict: throws on an invalid attribute, name or value); it
      // fills in a missing id or time, so the line itself must carry them.
      expect(new CloudEvent(event).validate()).toBe(true);
      expect(event).toMatchObject({
        specversion: '1.0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: `urn:nld:oin:${OIN}:systeem:een-gezin-een-plan`,
        type: expect.stringMatching(/^nl\.egep\.(family|gezinsplan)\.[A-Za-z]+\.v\d+$/),
        time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        datacontenttype: 'application/json',
      });
      expect(event).not.toHaveProperty('subject');
      const { data, ...context } = event;
      expect(Object.keys(context).sort()).toEqual([
        'datacontenttype',
        'egepposition',
        'egepstreamversion',
        'id',
        'source',
        'specversion',
        'time',
        'type',
      ]);
      for (const value of Object.values(context)) {
        for (const word of forbidden) expect(String(value)).not.toContain(word);
      }
      expect(data).toMatchObject({ streamId: expect.stringContaining(familyId), event: {} });
    }
    const signed = exported.find((e) => e.type === 'nl.egep.gezinsplan.PlanSigned.v1');
    expect(signed?.data).toMatchObject({
      streamId: `gezinsplan-${familyId}`,
      actor: 'prof-sanne',
      onBehalfOf: memberIds[0],
    });
    expect(response.text).not.toContain('Paulien');
    expect(response.text).not.toContain(BSN);
    expect(response.text).toContain('[sealed]');
    await s.read(sanne, `/api/v1/audit/families/${familyId}/export`).expect(404);
  });

  it('replays a 10,000-event family to the same state as a replay of only the events up to each moment', async () => {
    const { familyId, memberIds, f } = await family();
    const { planId } = await s.send(sanne, 'post', `${f}/plan`, {}, 201);
    const { goalId } = await s.send(
      sanne,
      'post',
      `${f}/plan/goals`,
      { familyWording: 'Een huis', concerns: [memberIds[0]], lifeDomain: 'housing' },
      201,
    );
    // The read models first reach the commands above. Then they stop: time travel reads the
    // event store, and projecting 10,000 notes into one growing plan document would hold long
    // transactions that stall every other test database on the shared server (xmin horizon).
    await s.read(sanne, `${f}/plan`).expect(200);
    await t.app.get(ProjectionRunner).stop();
    const stream = `gezinsplan-${familyId}`;
    let version = (await t.infra.eventStore.readStream(stream)).length - 1;
    const moments: string[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      tomorrow();
      const events: NewEvent[] = Array.from({ length: 500 }, (_, i) => ({
        type: 'gezinsplan.ProgressNoteAdded',
        data: {
          planId,
          note: {
            noteId: randomUUID(),
            goalId,
            text: 'pd1:x:y',
            confidentiality: 'case_team',
            evaluation: i % 100 === 0,
            writtenAt: t.infra.clock.now().toISOString(),
            authorId: 'prof-sanne',
          },
        },
        metadata: {
          eventId: randomUUID(),
          correlationId: randomUUID(),
          actor: { userId: 'prof-sanne' },
          occurredAt: t.infra.clock.now().toISOString(),
          municipality: 'almere',
        },
      }));
      const result = await t.infra.eventStore.appendToStream(stream, events, {
        expectedVersion: version,
      });
      version = result.nextExpectedVersion;
      moments.push(t.infra.clock.now().toISOString());
    }
    expect(version + 1).toBeGreaterThanOrEqual(10_000);

    for (const asOf of [moments[0], moments[6], moments[13], moments[19]]) {
      const state = (
        await s
          .read(
            auditor,
            `/api/v1/audit/families/${familyId}/state?asOf=${encodeURIComponent(asOf)}`,
          )
          .expect(200)
      ).body;
      // The same moment replayed independently, straight from the table.
      const rows: Array<{ type: string; data: unknown }> = await t.infra.dataSource.query(
        'SELECT type, data FROM events WHERE stream_id = $1 AND recorded_at <= $2 ORDER BY stream_version',
        [stream, asOf],
      );
      const replayed = rows.reduce(
        (s, e) => evolvePlan(s, e as PlanEvent),
        INITIAL_PLAN_STATE,
      ).plan!;
      expect(state.plan.notes).toHaveLength(replayed.notes.length);
      expect(state.plan.notes.map((n: { noteId: string }) => n.noteId)).toEqual(
        replayed.notes.map((n) => n.noteId),
      );
      expect(state.plan).toMatchObject({ status: replayed.status, version: replayed.version });
      const lastReview = replayed.lastEvaluationAt ?? replayed.firstAgreedAt;
      expect(state.plan.evaluationDueAt).toBe(lastReview ? addMonths(lastReview, 3) : null);
    }

    // The auditor's command line replays the same moment, showing progress on a long history.
    const cli = await runCli(
      ['replay', familyId, '--as-of', moments[19]],
      {
        DATABASE_URL: t.infra.databaseUrl,
        MASTER_KEY: masterKey,
        LOG_LEVEL: 'silent',
        AUDITOR_ID: 'aud-cli',
      },
      AUDIT_CLI,
    );
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(/replay \[/);
    const printed = JSON.parse(cli.stdout);
    expect(printed.plan.notes).toHaveLength(10_000);
    expect(printed.asOf).toBe(moments[19]);
  });
});

describe('time travel from snapshots', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SNAPSHOT_EVERY: '10' });
  });
  afterAll(async () => t?.close());

  it('starts from the latest snapshot before the moment and shows what a full replay shows', async () => {
    const team = randomUUID();
    const sanne = await t.token({ teams: [team] });
    const auditor = await t.token({ sub: 'aud-2', roles: ['auditor'], teams: [] });
    const s = httpSession(t);
    const post = (path: string, body: object) => s.send(sanne, 'post', path, body, 201);
    const { familyId, memberIds } = await s.registerFamily(sanne, {
      teamId: team,
      members: [
        { givenName: 'Eva', familyName: 'Snap', dateOfBirth: '1980-01-01', role: 'parent' },
      ],
    });
    const f = `/api/v1/families/${familyId}`;
    await post(`${f}/plan`, {});
    const { goalId } = await post(`${f}/plan/goals`, {
      familyWording: 'Werk vinden',
      concerns: [memberIds[0]],
      lifeDomain: 'work_education',
    });
    const moments: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      (t.infra.clock as AdjustableClock).advanceDays(1);
      for (let i = 0; i < 9; i += 1)
        await post(`${f}/plan/notes`, { goalId, text: `Voortgang ${round}.${i}` });
      moments.push(t.infra.clock.now().toISOString());
    }

    for (const [i, asOf] of moments.entries()) {
      const state = (
        await s
          .read(
            auditor,
            `/api/v1/audit/families/${familyId}/state?asOf=${encodeURIComponent(asOf)}`,
          )
          .expect(200)
      ).body;
      const rows: Array<{ type: string; data: unknown }> = await t.infra.dataSource.query(
        'SELECT type, data FROM events WHERE stream_id = $1 AND recorded_at <= $2 ORDER BY stream_version',
        [`gezinsplan-${familyId}`, asOf],
      );
      const replayed = rows.reduce(
        (s, e) => evolvePlan(s, e as PlanEvent),
        INITIAL_PLAN_STATE,
      ).plan!;
      expect(state.plan.notes.map((n: { noteId: string }) => n.noteId)).toEqual(
        replayed.notes.map((n) => n.noteId),
      );
      expect(state.plan.notes).toHaveLength(9 * (i + 1));
      if (i > 0) {
        // A snapshot was used: fewer events replayed than the plan stream holds by then.
        expect(state.fromSnapshotVersion).toBeGreaterThanOrEqual(10);
        expect(state.replayedEvents).toBeLessThan(rows.length);
      }
    }
  });
});
