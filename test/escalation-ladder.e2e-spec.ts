import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const HAVEN = randomUUID();
const WONING = 'Woningcorporatie Almere';
const JUSTIFICATION =
  'Paulien woont korter dan twee jaar in Almere en komt daarom niet in aanmerking voor urgentie, ' +
  'maar met een tweeling op komst is de kamer te klein voor drie kinderen en kan zij niet terug ' +
  'naar haar vorige gemeente. Een uitzondering is gerechtvaardigd om de veiligheid van de kinderen te borgen.';

/**
 * Paulien's housing story (../shared/scenarios): no housing provider acts, level 0 overruns,
 * the ladder climbs to an independent procesregisseur and then to the brandpuntfunctionaris,
 * who grants urgency as an exception. Driven only through the HTTP API and the dev clock.
 */
describe("Paulien's housing story up the escalation ladder", () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let s: HttpSession;

  beforeAll(async () => {
    t = await startTestApp({ TIMER_INTERVAL_MS: '0' });
    s = httpSession(t);
    const people = {
      sanne: {
        sub: 'prof-sanne',
        organisation: 'SLT Haven',
        roles: ['professional'],
        teams: [HAVEN],
      },
      lead: {
        sub: 'lead-haven',
        name: 'Karin',
        organisation: 'SLT Haven',
        roles: ['team_lead'],
        teams: [HAVEN],
      },
      jgz: {
        sub: 'prof-jgz',
        name: 'Joke',
        organisation: 'GGD Flevoland',
        roles: ['professional'],
        teams: [],
      },
      woning: {
        sub: 'prof-woning',
        name: 'Mehmet',
        organisation: WONING,
        roles: ['professional'],
        teams: [],
      },
      ilse: {
        sub: 'prof-ilse',
        name: 'Ilse',
        organisation: 'Procesregie Flevoland',
        roles: ['procesregisseur'],
        teams: [],
      },
      bert: {
        sub: 'prof-bert',
        name: 'Bert',
        organisation: 'Gemeente Almere',
        roles: ['brandpuntfunctionaris'],
        teams: [],
      },
      outsider: {
        sub: 'prof-out',
        name: 'Olaf',
        organisation: 'SLT Stad',
        roles: ['professional'],
        teams: [randomUUID()],
      },
    };
    for (const [who, claims] of Object.entries(people)) tokens[who] = await t.token(claims);
  });
  afterAll(async () => t?.close());

  const inboxOf = async (who: string) =>
    (await s.read(tokens[who], '/api/v1/me/inbox').expect(200)).body;
  const kindsFor = async (who: string, escalationId: string) =>
    (await s.notifications(tokens[who]))
      .filter((n) => n.escalationId === escalationId)
      .map((n) => n.kind);

  it('climbs from signal to brandpunt decision and resolution, visible to the right person at each step', async () => {
    // The family, its case team and an agreed plan with Sanne as casusregisseur.
    const family = await s.registerFamily(tokens.sanne, {
      teamId: HAVEN,
      members: [
        {
          givenName: 'Paulien',
          familyName: 'de Boer',
          dateOfBirth: '2002-05-11',
          role: 'parent',
        },
        { givenName: 'Noah', familyName: 'de Boer', dateOfBirth: '2025-05-20', role: 'child' },
      ],
      network: [{ name: 'Frank Visser', relation: 'bewindvoerder' }],
    });
    const f = `/api/v1/families/${family.familyId}`;
    for (const p of [
      {
        professionalId: 'prof-jgz',
        name: 'Joke',
        organisation: 'GGD Flevoland',
        discipline: 'JGZ',
      },
      { professionalId: 'prof-woning', name: 'Mehmet', organisation: WONING, discipline: 'wonen' },
    ]) {
      await s.joinCaseTeam(tokens.sanne, family.familyId, p);
    }
    await s.openPlanWithCasusregie(tokens.sanne, family.familyId, 'prof-sanne');
    const { goalId } = await s.send(
      tokens.sanne,
      'post',
      `${f}/plan/goals`,
      {
        familyWording: 'Een huis waar mijn kinderen en ik kunnen wonen',
        concerns: [family.memberIds[0]],
        lifeDomain: 'housing',
      },
      201,
    );
    await s.send(
      tokens.sanne,
      'post',
      `${f}/plan/actions`,
      {
        goalId,
        description: 'Passende woning zoeken',
        assignee: { kind: 'professional', id: 'prof-woning' },
        dueDate: '2099-01-01',
      },
      201,
    );
    await s.send(
      tokens.sanne,
      'post',
      `${f}/plan/signatures`,
      { party: { kind: 'member', id: family.memberIds[0] } },
      200,
    );
    await s.send(
      tokens.woning,
      'post',
      `${f}/plan/signatures`,
      { party: { kind: 'organisation', id: WONING } },
      200,
    );
    const familyView = (await s.read(tokens.sanne, f).expect(200)).body;
    expect(familyView.regie.casusregisseur).toMatchObject({ professionalId: 'prof-sanne' });

    // Level 0: the signal reaches the casusregisseur.
    const signal = await s.send(
      tokens.sanne,
      'post',
      `${f}/signals`,
      {
        category: 'no_fitting_provision',
        description: 'Geen enkele woningaanbieder wil een woning aanbieden',
      },
      201,
    );
    const e = `/api/v1/escalations/${signal.escalationId}`;
    expect(await kindsFor('sanne', signal.escalationId)).toEqual(['signal_raised']);
    const sanneInbox = await inboxOf('sanne');
    expect(sanneInbox.cases).toEqual([
      {
        familyId: family.familyId,
        roles: ['case_team', 'casusregisseur'],
        openSignals: 1,
        overdueActions: 0,
        concerns: [],
      },
    ]);
    expect(sanneInbox.escalations).toMatchObject([
      { escalationId: signal.escalationId, level: 0, why: 'holder' },
    ]);
    await s.read(tokens.outsider, e).expect(404);
    await s.send(tokens.jgz, 'post', `${e}/acknowledgement`, {}, 403);
    await s.send(tokens.sanne, 'post', `${e}/acknowledgement`, {}, 200);
    await s.send(tokens.sanne, 'post', `${e}/acknowledgement`, {}, 409);

    // Nobody breaks through within 10 working days: the ladder moves to procesregie by itself.
    // (To the deadline itself, not a number of calendar days: that depends on today's weekday.)
    const level0 = (await s.read(tokens.sanne, e).expect(200)).body;
    await s.advancePast(level0.deadlines.resolveBy);
    const level1 = (await s.read(tokens.sanne, e).expect(200)).body;
    expect(level1).toMatchObject({ level: 1, status: 'open', holder: null });
    expect(level1.history.map((h: { event: string }) => h.event)).toEqual([
      'SignalRaised',
      'Acknowledged',
      'Escalated',
    ]);
    expect(level1.history[2]).toMatchObject({
      actor: { userId: 'system' },
      details: { automatic: true, toLevel: 1 },
    });
    expect(await kindsFor('ilse', signal.escalationId)).toEqual(['escalation_reached']);
    expect((await inboxOf('ilse')).escalations).toMatchObject([
      { escalationId: signal.escalationId, why: 'pool' },
    ]);
    expect(
      (await s.read(tokens.lead, '/api/v1/escalations?level=1&status=open').expect(200)).body.items,
    ).toHaveLength(1);

    // Procesregie must be independent: not on the case team (422), then an outsider to the care.
    const dependent = await s.send(
      tokens.lead,
      'post',
      `${e}/appointment`,
      { professionalId: 'prof-jgz' },
      422,
    );
    expect(dependent.errors[0].field).toBe('professionalId');
    await s.send(
      tokens.jgz,
      'post',
      `${e}/appointment`,
      { professionalId: 'prof-ilse', name: 'Ilse', organisation: 'Procesregie Flevoland' },
      403,
    );
    await s.send(
      tokens.lead,
      'post',
      `${e}/appointment`,
      { professionalId: 'prof-ilse', name: 'Ilse', organisation: 'Procesregie Flevoland' },
      200,
    );
    expect(await kindsFor('ilse', signal.escalationId)).toEqual([
      'escalation_reached',
      'appointed',
    ]);
    // Independence holds from the other side too: the procesregisseur cannot join the case team.
    const joined = await s.send(
      tokens.sanne,
      'post',
      `${f}/case-team`,
      {
        professionalId: 'prof-ilse',
        name: 'Ilse',
        organisation: 'Procesregie Flevoland',
        discipline: 'procesregie',
      },
      422,
    );
    expect(joined.errors[0].field).toBe('professionalId');
    expect((await inboxOf('ilse')).escalations).toMatchObject([
      { escalationId: signal.escalationId, why: 'holder' },
    ]);

    // The procesregisseur cannot unblock it: on to the brandpuntfunctionaris.
    await s.send(
      tokens.sanne,
      'post',
      `${e}/escalation`,
      { reason: 'Geen corporatie wijkt van de regels af' },
      403,
    );
    await s.send(
      tokens.ilse,
      'post',
      `${e}/escalation`,
      { reason: 'Geen corporatie wijkt van de regels af' },
      200,
    );
    expect(await kindsFor('bert', signal.escalationId)).toEqual(['escalation_reached']);
    await s.send(
      tokens.bert,
      'post',
      `${e}/appointment`,
      { professionalId: 'prof-bert', name: 'Bert', organisation: 'Gemeente Almere' },
      200,
    );
    await s.send(tokens.bert, 'post', `${e}/escalation`, { reason: 'hoger' }, 422);

    // The decision: too short a justification is refused; the real one binds the corporation.
    const decision = {
      solution: 'Urgentie voor een eengezinswoning als uitzondering op de huisvestingsverordening',
      maatwerk: 'uitzondering',
      justification: 'Omdat het moet.',
      directives: [
        {
          organisation: WONING,
          description: 'Bied binnen vier weken een passende woning aan',
          dueDate: '2099-02-01',
        },
      ],
      budgetEuros: 2500,
    };
    const short = await s.send(tokens.bert, 'post', `${e}/decision`, decision, 422);
    expect(short.errors[0].field).toBe('justification');
    // Ilse held level 1 and still sees the dossier, but only the holder of level 2 decides.
    await s.send(
      tokens.ilse,
      'post',
      `${e}/decision`,
      { ...decision, justification: JUSTIFICATION },
      403,
    );
    await s.send(
      tokens.bert,
      'post',
      `${e}/decision`,
      { ...decision, justification: JUSTIFICATION },
      200,
    );
    await s.send(
      tokens.bert,
      'post',
      `${e}/decision`,
      { ...decision, justification: JUSTIFICATION },
      409,
    );
    expect(await kindsFor('woning', signal.escalationId)).toEqual(['decision']);
    const decided = (await s.read(tokens.bert, e).expect(200)).body;
    expect(decided.decision).toMatchObject({
      solution: decision.solution,
      maatwerk: 'uitzondering',
      justification: JUSTIFICATION,
      budgetEuros: 2500,
      directives: [
        {
          organisation: WONING,
          status: 'open',
          overdue: false,
          description: decision.directives[0].description,
        },
      ],
    });
    expect((await inboxOf('woning')).escalations).toMatchObject([
      { escalationId: signal.escalationId, why: 'directive' },
    ]);
    // The corporation is on the case team: a summary of the dossier, with its own directive.
    const summary = (await s.read(tokens.woning, e).expect(200)).body;
    expect(summary.decision).toEqual({
      maatwerk: 'uitzondering',
      decidedAt: expect.any(String),
      directives: [
        expect.objectContaining({
          organisation: WONING,
          description: decision.directives[0].description,
        }),
      ],
    });
    expect(JSON.stringify(summary)).not.toContain(JUSTIFICATION.slice(0, 40));
    // The signal itself is case_team (the default outside safety): shared with the case team.
    expect(summary.signal.description).toBe('Geen enkele woningaanbieder wil een woning aanbieden');
    expect(summary.history.every((h: object) => !('details' in h))).toBe(true);

    // The corporation carries out its directive; the brandpuntfunctionaris closes the case.
    const directive = `${e}/directives/${decided.decision.directives[0].directiveId}/completion`;
    await s.send(tokens.jgz, 'post', directive, {}, 403);
    await s.send(tokens.woning, 'post', directive, {}, 200);
    await s.send(tokens.woning, 'post', directive, {}, 409);
    await s.send(
      tokens.bert,
      'post',
      `${e}/resolution`,
      { outcome: 'Woning toegewezen met urgentie' },
      200,
    );

    const resolved = (await s.read(tokens.bert, e).expect(200)).body;
    expect(resolved).toMatchObject({
      status: 'resolved',
      level: 2,
      outcome: 'Woning toegewezen met urgentie',
      dueAt: null,
    });
    expect(resolved.decision.directives[0]).toMatchObject({ status: 'done' });
    expect(resolved.history.map((h: { event: string }) => h.event)).toEqual([
      'SignalRaised',
      'Acknowledged',
      'Escalated',
      'HolderAppointed',
      'Escalated',
      'HolderAppointed',
      'DecisionTaken',
      'DirectiveCompleted',
      'Resolved',
    ]);
    expect(resolved.timeInLevels.map((p: { level: number }) => p.level)).toEqual([0, 1, 2]);
    expect(resolved.timeInLevels[0].days).toBeGreaterThanOrEqual(13);
    expect(resolved.timeInLevels.every((p: { leftAt: string | null }) => p.leftAt !== null)).toBe(
      true,
    );
    expect((await inboxOf('bert')).escalations).toEqual([]);
    expect(
      (await s.read(tokens.sanne, '/api/v1/escalations?status=resolved').expect(200)).body.items,
    ).toHaveLength(1);
    expect((await s.read(tokens.outsider, '/api/v1/escalations').expect(200)).body.items).toEqual(
      [],
    );
  });
  it('alerts the brandpuntfunctionaris once of an overdue directive, and records a missed decision deadline once', async () => {
    const family = await s.registerFamily(tokens.sanne, {
      teamId: HAVEN,
      members: [
        { givenName: 'Asha', familyName: 'Bakker', dateOfBirth: '2007-01-09', role: 'parent' },
      ],
    });
    const f = `/api/v1/families/${family.familyId}`;
    await s.openPlanWithCasusregie(tokens.sanne, family.familyId, 'prof-sanne');
    const ladderToBrandpunt = async (description: string) => {
      const { escalationId } = await s.send(
        tokens.sanne,
        'post',
        `${f}/signals`,
        { category: 'safety', description },
        201,
      );
      const e = `/api/v1/escalations/${escalationId}`;
      // A safety signal may go to procesregie at once.
      await s.send(tokens.sanne, 'post', `${e}/escalation`, { reason: 'Direct gevaar' }, 200);
      await s.send(
        tokens.lead,
        'post',
        `${e}/appointment`,
        { professionalId: 'prof-ilse', name: 'Ilse', organisation: 'Procesregie Flevoland' },
        200,
      );
      await s.send(
        tokens.ilse,
        'post',
        `${e}/escalation`,
        { reason: 'Doorzettingsmacht nodig' },
        200,
      );
      await s.send(
        tokens.bert,
        'post',
        `${e}/appointment`,
        { professionalId: 'prof-bert', name: 'Bert', organisation: 'Gemeente Almere' },
        200,
      );
      return { escalationId, e };
    };

    const withDirective = await ladderToBrandpunt('Gevonden bij het spoor');
    // Dates by the app's clock, which the story above moved forward.
    const now = Date.parse((await t.http.get('/api/v1/dev/clock').expect(200)).body.now);
    const due = new Date(now + 3 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await s.send(
      tokens.bert,
      'post',
      `${withDirective.e}/decision`,
      {
        solution: 'Gezamenlijke behandeling door twee GGZ-aanbieders',
        maatwerk: 'afstemming_fasering',
        justification: JUSTIFICATION,
        directives: [
          { organisation: 'GGZ Centraal', description: 'Start de behandeling', dueDate: due },
        ],
      },
      200,
    );
    const withoutDecision = await ladderToBrandpunt('Geen passende plek');

    // Past the directive's date and the decision deadline (10 working days), twice.
    await s.advanceDays(20);
    await s.advanceDays(20);

    const overdue = (await s.read(tokens.bert, withDirective.e).expect(200)).body;
    expect(overdue.decision.directives[0]).toMatchObject({ status: 'open', overdue: true });
    expect(overdue).toMatchObject({ level: 2, status: 'open' });
    expect(
      overdue.history.filter((h: { event: string }) => h.event === 'DirectiveOverdue'),
    ).toHaveLength(1);
    expect(overdue.history.some((h: { event: string }) => h.event === 'DeadlineMissed')).toBe(
      false,
    );
    expect(await kindsFor('bert', withDirective.escalationId)).toEqual([
      'escalation_reached',
      'appointed',
      'directive_overdue',
    ]);

    const missed = (await s.read(tokens.bert, withoutDecision.e).expect(200)).body;
    expect(
      missed.history.filter((h: { event: string }) => h.event === 'DeadlineMissed'),
    ).toMatchObject([
      {
        actor: { userId: 'system' },
        details: { level: 2, deadline: 'resolveBy', holderId: 'prof-bert' },
      },
    ]);
    expect(missed).toMatchObject({ level: 2, status: 'open', overdue: true });
    expect(await kindsFor('bert', withoutDecision.escalationId)).toEqual([
      'escalation_reached',
      'appointed',
      'deadline_missed',
    ]);
    const overdueItems = (
      await s.read(tokens.bert, '/api/v1/escalations?overdue=true&level=2').expect(200)
    ).body.items;
    expect(overdueItems.map((i: { escalationId: string }) => i.escalationId)).toEqual([
      withoutDecision.escalationId,
    ]);
    await s.read(tokens.bert, '/api/v1/escalations?level=7').expect(400);
    await s.read(tokens.bert, '/api/v1/escalations?overdue=maybe').expect(400);
  });
});
