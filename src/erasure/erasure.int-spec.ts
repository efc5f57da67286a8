import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '../../test/support/test-database.js';
import { loadConfig } from '../../config/app.config.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { DomainConflict, DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { AdjustableClock } from '#libs/clock/index.js';
import { ProblemException } from '#libs/http/problem-details.js';
import {
  ERASED,
  PersonalDataErased,
  PersonalDataVault,
} from '#libs/personal-data/personal-data-vault.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { TimerProjection } from '#libs/timers/timer-projection.js';
import { TimerService } from '#libs/timers/timer-service.js';
import { createInfrastructure, type Infrastructure } from '../core/infrastructure.js';
import { FamilyType } from '../families/family.aggregate.js';
import { FamilyProjection } from '../families/family.projection.js';
import { GezinsplanType } from '../plans/plan.aggregate.js';
import { READ_MODEL_MIGRATIONS, registerEventSchemas } from '../read-models.js';
import { ErasureRequestProjection } from './erasure-request.projection.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { erasureRequestDecider } from './erasure-request.decide.js';
import { ErasureRequests1732000007000 } from './erasure-requests.migration.js';
import { ErasureRequestsQuery } from './erasure-requests.query.js';
import { ErasureShredHandler, ErasureShredRule } from './erasure-shred.timer.js';
import { ERASURE_EVENT_TYPES } from './erasure.events.js';
import { ErasureService, sealErasureRequestEvent } from './erasure.service.js';
import { FamilyActors } from '../families/family-actors.js';
import { PlanStates } from '../plans/plan-states.js';
import { FamilyStates } from '../families/family-states.js';
import { PlanFamilyRegie } from '../plans/plan-family-regie.js';
import type { DecisionContext } from '../plans/plan.decide.js';
import { PrivacyLens } from '../privacy/privacy-lens.js';
import { PrivacyFactsProjection } from '../privacy/privacy-facts.projection.js';
import { RetentionHandler, RetentionRule, retentionTimerId } from './retention.timer.js';

const TEAM = randomUUID();
const LEGAL = 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar';
const ACCESS_POINT = { ip: '127.0.0.1', userAgent: 'jest', client: 'test', correlationId: 'c' };

const user = (claims: Partial<AuthUser> & { sub: string }): AuthUser => ({
  name: claims.sub,
  organisation: 'SLT Haven',
  roles: ['professional'],
  teams: [],
  ...claims,
});
const sanne = user({ sub: 'prof-sanne', name: 'Sanne de Vries', teams: [TEAM] });
const stranger = user({ sub: 'prof-other', teams: [randomUUID()] });
const officer = user({ sub: 'po-1', name: 'Pim Privacy', roles: ['privacy_officer'] });
const contextOf = (u: AuthUser): CommandContext => ({
  actor: { userId: u.sub, name: u.name, organisation: u.organisation, role: u.roles[0] },
  correlationId: randomUUID(),
});

/** The status a ProblemException carries, or the domain error's class name. */
async function failure(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.status;
    return (error as Error).name;
  }
  throw new Error('expected a failure');
}

describe('erasure by crypto-shredding, without HTTP', () => {
  let infra: Infrastructure;
  let vault: PersonalDataVault;
  let erasure: ErasureService;
  let runner: ProjectionRunner;
  let timers: TimerService;
  let clock: AdjustableClock;
  let pipeline: CommandPipeline;
  let planStates: PlanStates;
  let familyStates: FamilyStates;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: await createTestDatabase('erasure'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-erasure-')),
      LOG_LEVEL: 'silent',
    });
    infra = await createInfrastructure(config, {
      // Before and after src/read-models.ts lists the erasure migration.
      migrations: READ_MODEL_MIGRATIONS.includes(ErasureRequests1732000007000)
        ? READ_MODEL_MIGRATIONS
        : [...READ_MODEL_MIGRATIONS, ErasureRequests1732000007000],
      registerSchemas: (registry) => {
        registerEventSchemas(registry);
        for (const type of ERASURE_EVENT_TYPES) registry.register(type, 1);
      },
    });
    vault = infra.vault;
    clock = infra.clock as AdjustableClock;
    const lens = new PrivacyLens(infra.dataSource, vault, infra.clock);
    pipeline = new CommandPipeline(infra.repository);
    planStates = new PlanStates(infra.repository);
    familyStates = new FamilyStates(infra.repository);
    erasure = new ErasureService(
      pipeline,
      vault,
      new FamilyActors(new PlanFamilyRegie(planStates), lens, familyStates),
      familyStates,
    );
    runner = new ProjectionRunner(
      infra.dataSource,
      infra.eventStore,
      [
        new FamilyProjection(),
        // The lens reads its own tables: the refusals below ask it.
        new PrivacyFactsProjection(),
        new ErasureRequestProjection(),
        new TimerProjection([new ErasureShredRule(), new RetentionRule(config)]),
      ],
      clock,
      { batchSize: 500, onError: 'stop' },
    );
    timers = new TimerService(infra.dataSource, clock, [
      new ErasureShredHandler(infra.repository, vault),
      new RetentionHandler(pipeline, infra.repository, planStates, familyStates, vault),
    ]);
  });
  afterAll(async () => infra?.close());

  /** Registers a family the way the families capability does: personal data sealed per member. */
  async function registerFamily(names: string[], network: string[] = []) {
    const familyId = randomUUID();
    const members = await Promise.all(
      names.map(async (givenName, i) => {
        const memberId = randomUUID();
        const personal = { givenName, familyName: 'Quispel', dateOfBirth: '1985-01-0' + (i + 1) };
        return {
          memberId,
          role: 'parent' as const,
          personal: await vault.seal(memberId, personal),
        };
      }),
    );
    const networkMembers = await Promise.all(
      network.map(async (name) => {
        const networkId = randomUUID();
        return { networkId, relation: 'oma', personal: await vault.seal(networkId, { name }) };
      }),
    );
    const family = FamilyType.create(familyId);
    family.register(TEAM, members, networkMembers, {
      professionalId: sanne.sub,
      name: sanne.name,
      organisation: sanne.organisation,
      discipline: 'SLT',
    });
    await infra.repository.save(family, FamilyType, contextOf(sanne));
    return { familyId, members, network: networkMembers };
  }

  async function settle(): Promise<void> {
    for (const name of runner.names) await runner.catchUp(name);
  }

  describe('PersonalDataVault.shred', () => {
    it('destroys a key once: what it sealed opens as ERASED, and nothing new can be sealed', async () => {
      const subject = randomUUID();
      const sealed = await vault.seal(subject, { givenName: 'Zwaantje' });
      expect(await vault.open(sealed)).toEqual({ givenName: 'Zwaantje' });

      expect(await vault.shred(subject)).toBe(true);
      expect(await vault.shred(subject)).toBe(false);

      expect(await vault.open(sealed)).toBe(ERASED);
      expect(await vault.isShredded(subject)).toBe(true);
      await expect(vault.seal(subject, 'new')).rejects.toBeInstanceOf(PersonalDataErased);
      const rows: Array<{ wrapped_key: Buffer | null; shredded_at: Date | null }> =
        await infra.dataSource.query(
          'SELECT wrapped_key, shredded_at FROM subject_keys WHERE subject_id = $1',
          [subject],
        );
      expect(rows).toEqual([{ wrapped_key: null, shredded_at: expect.any(Date) }]);
    });

    it('leaves a tombstone for a subject that had no key, so none is made later', async () => {
      const subject = randomUUID();
      expect(await vault.isShredded(subject)).toBe(false);
      expect(await vault.shred(subject)).toBe(false);
      const fresh = new PersonalDataVault(infra.dataSource, randomKey());
      await expect(fresh.seal(subject, 'x')).rejects.toBeInstanceOf(PersonalDataErased);
    });

    it("another instance's cached key expires after the TTL, never outliving a shred for long", async () => {
      const masterKey = randomKey();
      let now = 1_000_000;
      const here = new PersonalDataVault(infra.dataSource, masterKey);
      const there = new PersonalDataVault(infra.dataSource, masterKey, {
        cacheTtlMs: 30_000,
        now: () => now,
      });
      const subject = randomUUID();
      const sealed = await here.seal(subject, 'geheim');
      expect(await there.open(sealed)).toBe('geheim');

      await here.shred(subject);
      expect(await here.open(sealed)).toBe(ERASED);
      now += 29_000;
      expect(await there.open(sealed)).toBe('geheim');
      now += 1_000;
      expect(await there.open(sealed)).toBe(ERASED);
    });
  });

  describe('requests and decisions', () => {
    it('lets the member ask for themselves and a professional of the family ask on their behalf', async () => {
      const { familyId, members } = await registerFamily(['Zwaantje', 'Gerrit']);
      const [zwaantje, gerrit] = members.map((m) => m.memberId);
      const citizen = user({
        sub: 'citizen-zwaantje',
        name: 'Zwaantje Quispel',
        roles: ['citizen'],
        memberId: zwaantje,
      });
      const input = { familyId, memberId: zwaantje, reason: 'Ik wil mijn gegevens weg' };

      const own = await erasure.request(input, citizen, contextOf(citizen));
      const onBehalf = await erasure.request(input, sanne, contextOf(sanne));

      const [first] = await infra.eventStore.readStream(`erasure-${own.requestId}`);
      expect(first).toMatchObject({
        type: 'erasure.ErasureRequested',
        data: { requestId: own.requestId, familyId, memberId: zwaantje, requestedBy: citizen.sub },
      });
      // The citizen's token name is their own name: it is not kept in the metadata.
      expect(first.metadata.actor).toEqual({ userId: citizen.sub, role: 'citizen' });
      expect(JSON.stringify([first.data, first.metadata])).not.toContain('Zwaantje');
      expect(await vault.open((first.data as { reason: string }).reason)).toBe(input.reason);
      const [second] = await infra.eventStore.readStream(`erasure-${onBehalf.requestId}`);
      expect(second.metadata.onBehalfOf).toBe(zwaantje);

      // Another member of the family knows it, but does not ask for someone else: 403.
      expect(
        await failure(erasure.request(input, { ...citizen, memberId: gerrit }, contextOf(citizen))),
      ).toBe(403);
      // Nobody else learns that the family or the member exists: 404.
      expect(await failure(erasure.request(input, stranger, contextOf(stranger)))).toBe(404);
      expect(
        await failure(
          erasure.request({ ...input, familyId: randomUUID() }, sanne, contextOf(sanne)),
        ),
      ).toBe(404);
      expect(
        await failure(
          erasure.request({ ...input, memberId: randomUUID() }, sanne, contextOf(sanne)),
        ),
      ).toBe(404);
      const outsider = user({ sub: 'c-x', roles: ['citizen'], memberId: randomUUID() });
      expect(await failure(erasure.request(input, outsider, contextOf(outsider)))).toBe(404);
    });

    it('is decided once, by the privacy officer; a refusal states the legal reason', async () => {
      const { familyId, members } = await registerFamily(['Zwaantje', 'Gerrit']);
      const [zwaantje, gerrit] = members;
      const ask = () =>
        erasure.request(
          {
            familyId,
            memberId: zwaantje.memberId,
            reason: 'Verhuisd, wil niet meer in het dossier',
          },
          sanne,
          contextOf(sanne),
        );
      const granted = await ask();
      const refused = await ask();
      const decide = (requestId: string, grant: boolean, reason: string, by = officer) =>
        erasure.decide({ requestId, grant, reason }, by, contextOf(by));

      expect(await failure(decide(refused.requestId, false, LEGAL, sanne))).toBe(403);
      expect(await failure(decide(randomUUID(), false, LEGAL))).toBe(404);
      expect(await failure(decide(refused.requestId, false, 'bewaarplicht'))).toBe(
        DomainRuleViolation.name,
      );
      expect(await decide(refused.requestId, false, LEGAL)).toMatchObject({ status: 'refused' });
      expect(await failure(decide(refused.requestId, true, 'toch wel'))).toBe(DomainConflict.name);
      // A refusal destroys nothing.
      expect(await vault.open(zwaantje.personal)).toMatchObject({ givenName: 'Zwaantje' });

      const decision = await decide(granted.requestId, true, 'AVG art. 17: geen bewaarplicht');
      expect(decision).toEqual({ status: 'granted', position: expect.any(String) });
      expect(await failure(decide(granted.requestId, false, LEGAL))).toBe(DomainConflict.name);

      expect(await vault.open(zwaantje.personal)).toBe(ERASED);
      expect(await vault.open(gerrit.personal)).toMatchObject({ givenName: 'Gerrit' });
      expect(await failure(ask())).toBe(DomainConflict.name);

      // The request and its decision stay readable: their texts are sealed with the family's key.
      await settle();
      const list = await new ErasureRequestsQuery(infra.dataSource, vault, infra.accessLog).list(
        officer,
        {},
        ACCESS_POINT,
      );
      expect(list.filter((r) => r.familyId === familyId)).toEqual([
        expect.objectContaining({
          requestId: granted.requestId,
          memberId: zwaantje.memberId,
          status: 'granted',
          reason: 'Verhuisd, wil niet meer in het dossier',
          decisionReason: 'AVG art. 17: geen bewaarplicht',
          decidedBy: officer.sub,
        }),
        expect.objectContaining({
          requestId: refused.requestId,
          status: 'refused',
          decisionReason: LEGAL,
        }),
      ]);
      const open = await new ErasureRequestsQuery(infra.dataSource, vault, infra.accessLog).list(
        officer,
        { status: 'open' },
        ACCESS_POINT,
      );
      expect(open.some((r) => r.familyId === familyId)).toBe(false);
      expect(
        await failure(
          new ErasureRequestsQuery(infra.dataSource, vault, infra.accessLog).list(
            sanne,
            {},
            ACCESS_POINT,
          ),
        ),
      ).toBe(403);

      // History still replays and the read model rebuilds, with the member erased.
      const family = await infra.repository.load(FamilyType, familyId);
      expect(family.currentState.members.map((m) => m.memberId)).toEqual([
        zwaantje.memberId,
        gerrit.memberId,
      ]);
      const rebuilt = await runner.rebuild('families');
      expect(rebuilt.events).toBeGreaterThan(0);
      const [row]: Array<{ members: Array<{ memberId: string; personal: string }> }> =
        await infra.dataSource.query('SELECT members FROM family_views WHERE family_id = $1', [
          familyId,
        ]);
      const opened = await Promise.all(row.members.map((m) => vault.open(m.personal)));
      expect(opened).toEqual([ERASED, expect.objectContaining({ givenName: 'Gerrit' })]);
    });

    it('finishes a shred that a crash interrupted between the append and the shred', async () => {
      const { familyId, members } = await registerFamily(['Zwaantje']);
      const [zwaantje] = members;
      const { requestId } = await erasure.request(
        { familyId, memberId: zwaantje.memberId, reason: 'Weg ermee' },
        sanne,
        contextOf(sanne),
      );
      // The grant as the command handler appends it, and then the process dies.
      await pipeline.run({
        decider: erasureRequestDecider,
        id: requestId,
        command: { type: 'GrantErasure', requestId, reason: 'AVG art. 17', decidedBy: officer.sub },
        context: contextOf(officer),
        authorize: async () => {},
        seal: (event) =>
          sealErasureRequestEvent(event, (text) => vault.seal(event.data.familyId, text)),
      });
      expect(await vault.open(zwaantje.personal)).toMatchObject({ givenName: 'Zwaantje' });

      await runner.catchUp('timers');
      expect(await timers.runDue()).toBeGreaterThanOrEqual(1);

      expect(await vault.open(zwaantje.personal)).toBe(ERASED);
      expect(await vault.isShredded(zwaantje.memberId)).toBe(true);
    });
  });

  describe('retention', () => {
    /** Opening and closing a plan consult only the moment, not the family. */
    const decision = (): DecisionContext => ({
      family: { members: [], networkIds: [], caseTeam: [] },
      now: clock.now(),
      actorId: sanne.sub,
      maxActiveGoals: 7,
    });

    async function openAndClose(familyId: string) {
      const plans =
        (await infra.repository.tryLoad(GezinsplanType, familyId)) ??
        GezinsplanType.create(familyId);
      plans.open(randomUUID(), decision());
      plans.close('goals_achieved', decision());
      await infra.repository.save(plans, GezinsplanType, contextOf(sanne));
      return plans.plan!.closedAt!;
    }

    it('destroys every key of a closed case 20 years after closure, once; a reopened case keeps them', async () => {
      const closed = await registerFamily(['Zwaantje', 'Gerrit'], ['Oma Truus']);
      const reopened = await registerFamily(['Klaas']);
      const closedAt = await openAndClose(closed.familyId);
      await openAndClose(reopened.familyId);
      const planText = await vault.seal(closed.familyId, 'Een eigen plek');
      const reopenedPlans = await infra.repository.load(GezinsplanType, reopened.familyId);
      reopenedPlans.open(randomUUID(), decision());
      await infra.repository.save(reopenedPlans, GezinsplanType, contextOf(sanne));
      await settle();

      const scheduled: Array<{ timer_id: string; due_at: Date }> = await infra.dataSource.query(
        `SELECT timer_id, due_at FROM scheduled_timers WHERE timer_id LIKE 'retention:%'`,
      );
      expect(scheduled).toEqual([
        { timer_id: retentionTimerId(closed.familyId), due_at: expect.any(Date) },
      ]);
      const due = new Date(closedAt);
      due.setUTCFullYear(due.getUTCFullYear() + 20);
      expect(scheduled[0].due_at.toISOString()).toBe(due.toISOString());

      clock.advanceDays(7304);
      await timers.runDue();
      expect(await vault.open(closed.members[0].personal)).toMatchObject({ givenName: 'Zwaantje' });

      clock.advanceDays(2);
      expect(await timers.runDue()).toBeGreaterThanOrEqual(1);
      for (const sealed of [
        ...closed.members.map((m) => m.personal),
        closed.network[0].personal,
        planText,
      ]) {
        expect(await vault.open(sealed)).toBe(ERASED);
      }
      expect(await vault.open(reopened.members[0].personal)).toMatchObject({ givenName: 'Klaas' });
      const recorded = await infra.eventStore.readStream(`retention-${closed.familyId}`);
      expect(recorded).toEqual([
        expect.objectContaining({
          type: 'erasure.RetentionExpired',
          data: {
            familyId: closed.familyId,
            closedAt,
            subjects: [
              ...closed.members.map((m) => m.memberId),
              closed.network[0].networkId,
              closed.familyId,
            ],
          },
          metadata: expect.objectContaining({
            actor: expect.objectContaining({ userId: 'system' }),
          }),
        }),
      ]);

      // A second run (a retry, another server) records nothing new.
      await new RetentionHandler(pipeline, infra.repository, planStates, familyStates, vault).fire({
        timerId: retentionTimerId(closed.familyId),
        kind: 'erasure.retention',
        dueAt: due,
        payload: { familyId: closed.familyId, closedAt },
        attempt: 2,
      });
      expect(await infra.eventStore.readStream(`retention-${closed.familyId}`)).toHaveLength(1);
      // History still replays.
      expect(
        (await infra.repository.load(FamilyType, closed.familyId)).currentState.members,
      ).toHaveLength(2);
    });
  });
});

function randomKey(): Buffer {
  return randomBytes(32);
}
