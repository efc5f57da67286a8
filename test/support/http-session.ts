import { expect } from '@jest/globals';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import type { TestApp } from './test-app.js';
import { textBody } from './text-body.js';

const bearer = { type: 'bearer' as const };

export type CommandMethod = 'post' | 'put' | 'patch' | 'delete';

/** A professional joining a case team (the body of POST /families/{familyId}/case-team). */
export interface Professional {
  professionalId: string;
  name: string;
  organisation: string;
  discipline: string;
}

export interface Member {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  role: string;
  bsn?: string;
}

export interface NetworkMember {
  name: string;
  relation: string;
}

export interface FamilyRegistration {
  teamId: string;
  /** Paulien Jansen (parent), Daan (a teenager) and Noah (a toddler) unless given. */
  members?: Member[];
  /** Sent only when given: a family registered without one has no network. */
  network?: NetworkMember[];
}

/** What POST /families answers. */
export interface RegisteredFamily {
  familyId: string;
  memberIds: string[];
  networkIds: string[];
  position: string;
}

/** The goal familyWithPlan adds; `concerns` is the first member unless given. */
export interface FirstGoal {
  familyWording?: string;
  lifeDomain?: string;
  concerns?: string[];
}

const JANSEN: Member[] = [
  { givenName: 'Paulien', familyName: 'Jansen', dateOfBirth: '1990-03-14', role: 'parent' },
  { givenName: 'Daan', familyName: 'Jansen', dateOfBirth: '2012-01-02', role: 'child' },
  { givenName: 'Noah', familyName: 'Jansen', dateOfBirth: '2025-05-20', role: 'child' },
];

/**
 * Paulien Smits (a parent, with a BSN) and her son Noah: a small family for specs that look for
 * its personal data where it must not be (a refused read's answer, the tables).
 */
export const SMITS: Member[] = [
  {
    givenName: 'Paulien',
    familyName: 'Smits',
    dateOfBirth: '2002-03-14',
    role: 'parent',
    bsn: '111222333',
  },
  { givenName: 'Noah', familyName: 'Smits', dateOfBirth: '2025-05-20', role: 'child' },
];

/** What POST /api/v1/dev/clock answers. */
export interface ClockMoved {
  now: string;
  timersFired: number;
  position: string | null;
}

/** One entry of a person's notification stream, as the escalation specs compare them. */
export interface Notification {
  kind: string;
  title: string;
  escalationId: string | null;
}

export type HttpSession = ReturnType<typeof httpSession>;

/**
 * One caller's conversation with the app under test. The read models are eventually
 * consistent: a command answers with the position of its events, and a read sent with
 * `X-Consistent-After: <position>` waits until the read model has reached it. The session
 * remembers the latest position any of its commands answered, so each read sees every write
 * the test made before it, whoever the token of either belongs to.
 *
 * Create one per app, after startTestApp (`s = httpSession(t)` in beforeAll).
 */
export function httpSession(t: TestApp) {
  let position = '0-0';

  /** Sends `body` (none when undefined) as `token`; an answer's position becomes the latest. */
  async function request(
    token: string,
    method: CommandMethod,
    path: string,
    body: object | undefined,
    headers: Record<string, string>,
  ) {
    let pending = t.http[method](path).auth(token, bearer);
    for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
    const response = await (body === undefined ? pending : pending.send(body));
    // An answer without a position (a refusal, say) leaves the latest as it was.
    if (response.body.position) position = response.body.position;
    return response;
  }

  /**
   * Sends a command as `token` and checks its status. The status is checked inside an object
   * that also holds the body, so a failing test shows the problem the server answered.
   * `body` undefined sends none at all. Returns the response (status, headers, body).
   */
  async function command(
    token: string,
    method: CommandMethod,
    path: string,
    body: object | undefined,
    status: number,
    headers: Record<string, string> = {},
  ) {
    const response = await request(token, method, path, body, headers);
    expect({ method, path, status: response.status, body: response.body }).toMatchObject({
      status,
    });
    return response;
  }

  /**
   * As command, for a test that judges the status itself (a random sequence of steps the rules
   * may refuse, every route of the document): only a failure of the server (5xx) fails here.
   */
  async function attempt(
    token: string,
    method: CommandMethod,
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ) {
    const response = await request(token, method, path, body, headers);
    expect({ method, path, status: response.status < 500 ? 'answered' : response.status }).toEqual({
      method,
      path,
      status: 'answered',
    });
    return response;
  }

  /** As command, for callers that only look at the body. */
  async function send(...args: Parameters<typeof command>) {
    return (await command(...args)).body;
  }

  /** A GET as `token` that waits for the session's latest position; chain `.expect(200)`. */
  function read(token: string, path: string) {
    return t.http.get(path).auth(token, bearer).set('X-Consistent-After', position);
  }

  /**
   * Waits, in the process, until every projection has reached the session's latest position:
   * for a test that looks into the tables rather than reading over HTTP.
   */
  async function settled() {
    const [commit, prepare] = position.split('-').map(BigInt);
    expect(await t.app.get(ProjectionRunner).waitFor({ commit, prepare }, 5000)).toBe(true);
  }

  /** The dev clock's moment. */
  async function now(): Promise<Date> {
    return new Date((await t.http.get('/api/v1/dev/clock').expect(200)).body.now);
  }

  /**
   * Moves the dev clock forward (by days, or to a moment); the answer comes once every timer that
   * became due has fired, and the next read waits for what those timers wrote.
   */
  async function moveClock(move: { advanceDays: number } | { now: string }): Promise<ClockMoved> {
    const response = await t.http.post('/api/v1/dev/clock').send(move).expect(200);
    if (response.body.position) position = response.body.position;
    return response.body as ClockMoved;
  }

  /** Moves the dev clock `days` forward. */
  function advanceDays(days: number) {
    return moveClock({ advanceDays: days });
  }

  /** Moves the dev clock a minute past `moment` (an ISO deadline). */
  function advancePast(moment: string) {
    return moveClock({ now: new Date(Date.parse(moment) + 60_000).toISOString() });
  }

  /**
   * Reads `token`'s notification stream as it is at the session's latest position (server-sent
   * events, `once`): kind, title and escalation of each.
   */
  async function notifications(token: string): Promise<Notification[]> {
    const response = await read(token, '/api/v1/me/notifications?once=true')
      .buffer(true)
      .parse(textBody)
      .expect(200);
    expect(response.headers['content-type']).toMatch(/text\/event-stream/);
    return (response.body as string)
      .split('\n\n')
      .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
      .filter((line): line is string => line !== undefined)
      .map((line) => JSON.parse(line.slice('data: '.length)) as Notification)
      .map(({ kind, title, escalationId }) => ({ kind, title, escalationId }));
  }

  /** Registers a family (201); members default to the Jansen family. */
  async function registerFamily(
    token: string,
    { teamId, members = JANSEN, network }: FamilyRegistration,
  ): Promise<RegisteredFamily> {
    const body = network === undefined ? { teamId, members } : { teamId, members, network };
    return send(token, 'post', '/api/v1/families', body, 201);
  }

  /** Adds a professional to the family's case team (200). */
  async function joinCaseTeam(token: string, familyId: string, professional: Professional) {
    return send(token, 'post', `/api/v1/families/${familyId}/case-team`, professional, 200);
  }

  /**
   * Opens the family's plan and makes `professionalId` its casusregisseur, who sees the family in
   * full: regie belongs to the plan, so a family has a casusregisseur only once it has a plan.
   */
  async function openPlanWithCasusregie(token: string, familyId: string, professionalId: string) {
    const family = `/api/v1/families/${familyId}`;
    const { planId } = await send(token, 'post', `${family}/plan`, {}, 201);
    await send(token, 'put', `${family}/regie/casusregie`, { professionalId }, 200);
    return planId as string;
  }

  /**
   * A registered family, the case team given (in order), an opened (draft) plan and one goal,
   * about housing and the first member unless `goal` says otherwise.
   */
  async function familyWithPlan(
    token: string,
    {
      caseTeam = [],
      goal = {},
      ...registration
    }: FamilyRegistration & { caseTeam?: Professional[]; goal?: FirstGoal },
  ) {
    const family = await registerFamily(token, registration);
    for (const professional of caseTeam) await joinCaseTeam(token, family.familyId, professional);
    const plan = `/api/v1/families/${family.familyId}/plan`;
    const { planId } = await send(token, 'post', plan, {}, 201);
    const { goalId } = await send(
      token,
      'post',
      `${plan}/goals`,
      {
        familyWording: 'Een huis voor ons',
        concerns: [family.memberIds[0]],
        lifeDomain: 'housing',
        ...goal,
      },
      201,
    );
    return {
      familyId: family.familyId,
      memberIds: family.memberIds,
      networkIds: family.networkIds,
      planId: planId as string,
      goalId: goalId as string,
    };
  }

  return {
    command,
    attempt,
    send,
    read,
    /** The latest position a command of this session answered ('0-0' before any). */
    get position() {
      return position;
    },
    /** For positions that come from elsewhere: the head after demo data, a clock move. */
    remember(latest: string) {
      position = latest;
    },
    settled,
    now,
    moveClock,
    advanceDays,
    advancePast,
    notifications,
    registerFamily,
    joinCaseTeam,
    openPlanWithCasusregie,
    familyWithPlan,
  };
}
