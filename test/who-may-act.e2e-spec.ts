import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DemoData } from '../src/demo/demo-data.js';
import { DEMO_TEAMS } from '../src/demo/demo-professionals.js';
import { eventCount } from './support/event-count.js';
import { fillPath, operationsOf, type Operation, type Schema } from './support/fuzz/openapi.js';
import { httpSession, type CommandMethod, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A body the validation pipe accepts, from the operation's own schema: required fields only,
 * with ids of Paulien's family where a field names one. Where a rule spans fields (exactly one
 * consent grantee) the schema cannot say it; OVERRIDES holds those few bodies.
 */
function validBody(schema: Schema, name: string, real: Record<string, Json>): Json {
  if (real[name] !== undefined) return real[name];
  if (schema.example !== undefined && schema.type !== 'object') return schema.example as Json;
  if (schema.enum) return schema.enum[0] as Json;
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [
          key,
          validBody(schema.properties?.[key] ?? {}, key, real),
        ]),
      );
    case 'array':
      return [validBody(schema.items ?? {}, name, real)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2027-06-01';
      return 'Een tekst die lang genoeg is voor elke regel van de validatie'.slice(
        0,
        Math.max(schema.maxLength ?? 60, 1),
      );
  }
}

const OVERRIDES: Record<string, Json> = {
  'POST /api/v1/families/{familyId}/members/{memberId}/consents': {
    organisation: 'GGZ Centraal',
    lifeDomain: 'mental_health',
    purpose: 'Behandeling afstemmen',
  },
};

/**
 * api.md, "Who may act on a family", over every command route of the served OpenAPI document:
 * a new command is covered without touching this test. An SLT colleague of the family's team
 * who is not on the case may know of the family (pseudonyms), so every command on it is 403;
 * a professional of another team may not, so it is 404; nothing is appended either way. The
 * colleague knows nothing of the family's escalations (no dossier): 404 there.
 */
describe('who may act on a family, for every command route', () => {
  let t: TestApp;
  let s: HttpSession;
  let paulien: string;
  let familyCommands: Operation[];
  let escalationCommands: Operation[];
  let segments: Record<string, string>;
  let real: Record<string, Json>;
  let colleague: string;
  let stranger: string;

  const send = (op: Operation, who: string) => {
    const body =
      OVERRIDES[`${op.method.toUpperCase()} ${op.path}`] ??
      (op.body ? validBody(op.body, '', real) : undefined);
    // Only commands: the document's operations other than GET.
    const method = op.method as CommandMethod;
    return s.attempt(who, method, fillPath(op.path, segments), body as object | undefined);
  };

  beforeAll(async () => {
    t = await startTestApp({ DEMO_DATA: 'true' });
    s = httpSession(t);
    ({ paulien } = t.app.get(DemoData).summary!);
    const sanne = await t.token({
      sub: 'demo-sanne',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    const head = await t.infra.eventStore.headPosition();
    s.remember(`${head!.commit}-${head!.prepare}`);
    const read = (path: string) => s.read(sanne, path).expect(200);
    const family = (await read(`/api/v1/families/${paulien}`)).body;
    const plan = (await read(`/api/v1/families/${paulien}/plan`)).body;
    const escalation = (await read(`/api/v1/escalations?familyId=${paulien}`)).body.items[0];
    const memberId = family.members[0].memberId as string;
    segments = {
      familyId: paulien,
      memberId,
      goalId: plan.goals[0].goalId,
      actionId: plan.actions[0].actionId,
      consentId: randomUUID(),
      escalationId: escalation.escalationId,
      directiveId: randomUUID(),
      role: 'casusregie',
    };
    real = {
      memberId,
      concerns: [memberId],
      goalId: plan.goals[0].goalId,
      id: memberId,
      professionalId: 'demo-colleague',
    };
    colleague = await t.token({
      sub: 'demo-colleague',
      organisation: 'SLT Haven',
      teams: [DEMO_TEAMS.haven],
    });
    stranger = await t.token({
      sub: 'demo-stranger',
      organisation: 'SLT Stad-West',
      teams: [DEMO_TEAMS.stadWest],
    });
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const commands = operationsOf(doc).filter((op) => op.isCommand);
    familyCommands = commands.filter((op) => op.path.startsWith('/api/v1/families/{familyId}'));
    escalationCommands = commands.filter((op) =>
      op.path.startsWith('/api/v1/escalations/{escalationId}'),
    );
  });
  afterAll(async () => t?.close());

  it('finds the command routes in the document (the test is not vacuous)', () => {
    expect(familyCommands.length).toBeGreaterThanOrEqual(18);
    expect(escalationCommands.length).toBeGreaterThanOrEqual(8);
  });

  it('answers an SLT colleague who is not on the case 403 on every command on the family', async () => {
    const before = await eventCount(t);
    const answers = [];
    for (const op of familyCommands) {
      const response = await send(op, colleague);
      answers.push({ op: op.id, status: response.status, type: response.body.type });
    }
    expect(answers).toEqual(
      familyCommands.map((op) => ({ op: op.id, status: 403, type: 'urn:egep:problem:forbidden' })),
    );
    expect(await eventCount(t)).toBe(before);
  });

  it('answers a professional of another team 404 on every command on the family', async () => {
    const before = await eventCount(t);
    const answers = [];
    for (const op of familyCommands) {
      answers.push({ op: op.id, status: (await send(op, stranger)).status });
    }
    expect(answers).toEqual(familyCommands.map((op) => ({ op: op.id, status: 404 })));
    expect(await eventCount(t)).toBe(before);
  });

  it("answers both 404 on the family's escalations: neither has its dossier", async () => {
    const before = await eventCount(t);
    const answers = [];
    for (const op of escalationCommands) {
      for (const [who, token] of [
        ['colleague', colleague],
        ['stranger', stranger],
      ]) {
        answers.push({ op: op.id, who, status: (await send(op, token)).status });
      }
    }
    expect(answers.filter((a) => a.status !== 404)).toEqual([]);
    expect(await eventCount(t)).toBe(before);
  });
});

describe('who may act, before the read models have the family', () => {
  let t: TestApp;
  let s: HttpSession;
  beforeAll(async () => {
    // Projections stopped: the family exists only in its stream.
    t = await startTestApp({ PROJECTIONS_ENABLED: 'false' });
    s = httpSession(t);
  });
  afterAll(async () => t?.close());

  it("still answers the family's own team 403 and anyone else 404: the stream says who they are", async () => {
    const team = randomUUID();
    const sanne = await t.token({ sub: 'prof-sanne', teams: [team] });
    const registered = await s.registerFamily(sanne, {
      teamId: team,
      members: [
        { givenName: 'Mila', familyName: 'Jansen', dateOfBirth: '2019-01-01', role: 'child' },
      ],
    });
    const path = `/api/v1/families/${registered.familyId}/network`;
    const body = { name: 'Oma Ria', relation: 'grandmother' };
    const colleague = await t.token({ sub: 'prof-colleague', teams: [team] });
    const stranger = await t.token({ sub: 'prof-elsewhere', teams: [randomUUID()] });
    await s.command(colleague, 'post', path, body, 403);
    await s.command(stranger, 'post', path, body, 404);
  });
});
