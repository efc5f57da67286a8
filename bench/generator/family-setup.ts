import { ageOn, birthdayOfAge, toDateString } from '#libs/clock/calendar.js';
import type { CaseTeamProfessional } from '../../src/kernel/professionals.js';
import type {
  MemberRole,
  RegisteredMember,
  RegisteredNetworkMember,
} from '../../src/families/family.events.js';
import type { DecisionContext } from '../../src/plans/plan.aggregate.js';
import { missingSignatures } from '../../src/plans/agreement.js';
import type { LifeDomain } from '../../src/kernel/life-domains.js';
import {
  ACTION_WORDS,
  FAMILY_NAMES,
  GIVEN_NAMES,
  GOAL_DOMAINS,
  GOAL_WORDS,
  NETWORK_RELATIONS,
} from './almere.js';
import { planEscalations } from './escalation-ladder.js';
import { SYSTEM_ACTOR, actorOf, type FamilySim } from './family-sim.js';
import { progressSession } from './plan-progress.js';
import type { Professional } from './professionals.js';
import type { Random } from './random.js';
import { DAY, dateOf, officeHours } from './time.js';

const YEAR = 365.25 * DAY;

export const caseTeamProfessional = (p: Professional): CaseTeamProfessional => ({
  professionalId: p.sub,
  name: p.name,
  organisation: p.organisation,
  discipline: p.discipline,
  ...(p.lifeDomains ? { lifeDomains: [...p.lifeDomains] } : {}),
});

export function decisionContext(sim: FamilySim, actor: Professional, now: Date): DecisionContext {
  return {
    family: sim.familyContext(),
    now,
    actorId: actor.sub,
    maxActiveGoals: sim.world.maxActiveGoals,
  };
}

/** Who lives in the household: parents, children of every age (teenagers near 18), others. */
function composition(rng: Random): Array<{ role: MemberRole; age: number }> {
  const people: Array<{ role: MemberRole; age: number }> = [];
  const parents = rng.chance(0.45) ? 2 : 1;
  for (let i = 0; i < parents; i += 1) people.push({ role: 'parent', age: rng.between(22, 55) });
  const children = rng.weighted<number>([
    [0, 0.05],
    [1, 0.3],
    [2, 0.35],
    [3, 0.2],
    [4, 0.1],
  ]);
  for (let i = 0; i < children; i += 1) {
    // About one family in four has a teenager who turns 18 within the simulated period.
    const age = rng.chance(0.12) ? rng.between(16.6, 17.95) : rng.between(0.1, 16.5);
    people.push({ role: 'child', age });
  }
  if (rng.chance(0.08)) people.push({ role: 'child', age: rng.between(18, 22) });
  if (rng.chance(0.1)) people.push({ role: 'other', age: rng.between(58, 84) });
  if (parents === 1 && rng.chance(0.06)) people.push({ role: 'other', age: rng.between(20, 50) });
  return people;
}

/** A valid BSN (11-proof), or undefined for members without one on file. */
function bsn(rng: Random): string | undefined {
  if (!rng.chance(0.6)) return undefined;
  for (;;) {
    const digits = Array.from({ length: 8 }, (_, i) => (i === 0 ? rng.int(1, 9) : rng.int(0, 9)));
    const last = digits.reduce((sum, d, i) => sum + d * (9 - i), 0) % 11;
    if (last < 10) return [...digits, last].join('');
  }
}

export async function newMember(
  sim: FamilySim,
  role: MemberRole,
  dateOfBirth: string,
  familyName: string,
): Promise<RegisteredMember> {
  const memberId = sim.rng.uuid();
  const number = bsn(sim.rng);
  const personal = {
    givenName: sim.rng.pick(GIVEN_NAMES),
    familyName,
    dateOfBirth,
    ...(number ? { bsn: number } : {}),
  };
  sim.members.push({ memberId, role, dateOfBirth, status: 'current' });
  return { memberId, role, personal: await sim.seal(memberId, personal) };
}

export async function newNetworkMember(sim: FamilySim): Promise<RegisteredNetworkMember> {
  const networkId = sim.rng.uuid();
  const name = `${sim.rng.pick(GIVEN_NAMES)} ${sim.rng.pick(FAMILY_NAMES)}`;
  sim.networkIds.push(networkId);
  return {
    networkId,
    relation: sim.rng.pick(NETWORK_RELATIONS),
    personal: await sim.seal(networkId, { name }),
  };
}

/** The system records an 18th birthday once (came-of-age timer), as the product does. */
export function scheduleComingOfAge(sim: FamilySim, memberId: string, dateOfBirth: string) {
  const birthday = birthdayOfAge(dateOfBirth, 18);
  const due = Date.parse(`${birthday}T00:00:00Z`);
  sim.schedule(due + 5_000, (now) => {
    const member = sim.members.find((m) => m.memberId === memberId);
    if (!member || member.status !== 'current') return;
    sim.onFamily(SYSTEM_ACTOR, now, (f) => f.recordComingOfAge(memberId, ageOn(dateOfBirth, now)), {
      causationId: `timer:came-of-age:${memberId}@${new Date(due).toISOString()}`,
    });
  });
}

/** Day 0: an SLT professional registers the family and joins its case team. */
export async function registerFamily(sim: FamilySim, now: Date): Promise<void> {
  const { rng } = sim;
  const familyName = rng.pick(FAMILY_NAMES);
  const members: RegisteredMember[] = [];
  for (const { role, age } of composition(rng)) {
    members.push(await newMember(sim, role, dateOf(now.getTime() - age * YEAR), familyName));
  }
  const network: RegisteredNetworkMember[] = [];
  for (let i = rng.int(0, 2); i > 0; i -= 1) network.push(await newNetworkMember(sim));
  const by = sim.registeredBy;
  sim.onFamily(actorOf(by), now, (f) =>
    f.register(sim.team.teamId, members, network, caseTeamProfessional(by)),
  );
  sim.caseTeam.push(by);
  const today = toDateString(now);
  for (const m of sim.members) {
    if (birthdayOfAge(m.dateOfBirth, 18) > today)
      scheduleComingOfAge(sim, m.memberId, m.dateOfBirth);
  }
  sim.schedule(officeHours(now.getTime() + rng.between(1, 4) * DAY, rng), (at) =>
    setUpPlan(sim, at),
  );
}

/** A partner of the case team for a life domain, joining it if not yet on it. */
export function partnerFor(
  sim: FamilySim,
  domain: LifeDomain,
  now: Date,
): Professional | undefined {
  const onTeam = sim.caseTeam.find((p) => p.lifeDomains?.includes(domain));
  if (onTeam) return onTeam;
  const candidates = sim.world.cast.partners.filter((p) => p.lifeDomains?.includes(domain));
  if (candidates.length === 0) return undefined;
  const partner = sim.rng.pick(candidates);
  sim.onFamily(actorOf(partner), now, (f) => f.joinCaseTeam(caseTeamProfessional(partner)));
  sim.caseTeam.push(partner);
  return partner;
}

/** One goal, proposed, with one to three actions for members, network or professionals. */
export async function addGoalWithActions(
  sim: FamilySim,
  domain: LifeDomain,
  now: Date,
  actions: number,
): Promise<string> {
  const { rng, familyId } = sim;
  const casus = sim.casusregisseur;
  const current = sim.currentMembers();
  const parents = current.filter((m) => m.role === 'parent');
  const concerns = [rng.pick(parents.length > 0 ? parents : current).memberId];
  const child = current.find((m) => m.role === 'child' && !concerns.includes(m.memberId));
  if (child && rng.chance(0.4)) concerns.push(child.memberId);
  const goalId = rng.uuid();
  const familyWording = await sim.seal(familyId, rng.pick(GOAL_WORDS[domain] ?? ['Verder komen']));
  const professionalWording = rng.chance(0.5)
    ? await sim.seal(familyId, `Werkdoel ${domain.replace('_', ' ')}: stabiliseren en versterken`)
    : null;
  const targetDate = rng.chance(0.7) ? dateOf(now.getTime() + rng.between(90, 270) * DAY) : null;
  sim.onPlan(actorOf(casus), now, (p) =>
    p.addGoal(
      { goalId, familyWording, professionalWording, concerns, lifeDomain: domain, targetDate },
      decisionContext(sim, casus, now),
    ),
  );
  const partner = rng.chance(0.7) ? partnerFor(sim, domain, now) : undefined;
  for (let i = 0; i < actions; i += 1) {
    const kind = rng.weighted<'professional' | 'member' | 'network'>([
      ['professional', 0.5],
      ['member', 0.35],
      ['network', sim.networkIds.length > 0 ? 0.15 : 0],
    ]);
    const id =
      kind === 'professional'
        ? (partner ?? casus).sub
        : kind === 'member'
          ? rng.pick(concerns)
          : rng.pick(sim.networkIds);
    const actionId = rng.uuid();
    const due = now.getTime() + rng.between(21, 150) * DAY;
    const description = await sim.seal(
      familyId,
      `${rng.pick(ACTION_WORDS)} ${kind === 'professional' ? (partner ?? casus).organisation : 'het gezin'}`,
    );
    sim.onPlan(actorOf(casus), now, (p) =>
      p.addAction(
        { actionId, goalId, description, assignee: { kind, id }, dueDate: dateOf(due) },
        decisionContext(sim, casus, now),
      ),
    );
    // Done somewhere before its date (or a few days after): never late enough for the
    // product's overdue signal (10 working days), which the generator does not simulate.
    const from = now.getTime() + DAY;
    sim.actionPlans.set(
      actionId,
      from + rng.between(0.3, 1) * (due - from) + rng.between(-2, 3) * DAY,
    );
  }
  return goalId;
}

/** A few days later: the plan is opened with its goals and actions; partners join. */
async function setUpPlan(sim: FamilySim, now: Date): Promise<void> {
  const { rng } = sim;
  const casus = sim.casusregisseur;
  sim.onPlan(actorOf(casus), now, (p, ctx) => p.open(rng.uuid(), ctx));
  if (sim.networkIds.length === 0 && rng.chance(0.3)) {
    const member = await newNetworkMember(sim);
    sim.onFamily(actorOf(casus), now, (f) => f.addNetworkMember(member));
  }
  for (const domain of rng.sample(GOAL_DOMAINS, rng.int(2, 4))) {
    await addGoalWithActions(sim, domain, now, rng.int(1, 3));
  }
  sim.schedule(officeHours(now.getTime() + rng.between(3, 10) * DAY, rng), (at) =>
    prepareAgreement(sim, at),
  );
}

/** Goals become active, casusregie is assigned, consents are given; then the signing. */
async function prepareAgreement(sim: FamilySim, now: Date): Promise<void> {
  const { rng } = sim;
  const casus = sim.casusregisseur;
  const plan = sim.plans.plan!;
  for (const goal of plan.goals.filter((g) => g.lifecycleStatus === 'proposed')) {
    sim.onPlan(actorOf(casus), now, (p, ctx) =>
      p.changeGoal(goal.goalId, { lifecycleStatus: 'active' }, ctx),
    );
  }
  sim.onPlan(actorOf(casus), now, (p) =>
    p.assignRegie('casusregie', { professionalId: casus.sub }, decisionContext(sim, casus, now)),
  );
  const partners = sim.caseTeam.filter((p) => p.lifeDomains);
  if (partners.length > 0 && rng.chance(0.1)) {
    const holder = rng.pick(partners);
    sim.onPlan(actorOf(casus), now, (p) =>
      p.assignRegie(
        'perspectiefregie',
        { professionalId: holder.sub },
        decisionContext(sim, casus, now),
      ),
    );
  }
  for (let i = rng.int(0, 2); i > 0; i -= 1) grantConsent(sim, now);
  sim.schedule(officeHours(now.getTime() + rng.between(1, 5) * DAY, rng), (at) => {
    signMissing(sim, at, 'member');
    if (sim.plans.plan!.status !== 'agreed') {
      sim.schedule(officeHours(at.getTime() + rng.between(1, 4) * DAY, rng), (later) =>
        signMissing(sim, later),
      );
    }
  });
}

/** A current adult member shares a life domain with an organisation of the case team. */
export function grantConsent(sim: FamilySim, now: Date): void {
  const { rng } = sim;
  const adults = sim.currentMembers().filter((m) => ageOn(m.dateOfBirth, now) >= 16);
  const partners = sim.caseTeam.filter((p) => p.lifeDomains?.length);
  if (adults.length === 0 || partners.length === 0) return;
  const member = rng.pick(adults);
  const partner = rng.pick(partners);
  sim.onFamily(
    actorOf(sim.casusregisseur),
    now,
    (f) =>
      f.grantConsent({
        consentId: rng.uuid(),
        memberId: member.memberId,
        grantee: { organisation: partner.organisation },
        lifeDomain: rng.pick(partner.lifeDomains!),
        purpose: 'afstemming van de hulp',
        until: rng.chance(0.5) ? dateOf(now.getTime() + 365 * DAY) : null,
        grantedAt: now.toISOString(),
      }),
    { onBehalfOf: member.memberId },
  );
}

/**
 * Every party that still has to sign the current version signs it (members through the
 * casusregisseur, on their behalf; organisations through their own people). The last signature
 * makes it binding; the first agreement starts the plan's progress and its escalations.
 */
export function signMissing(sim: FamilySim, now: Date, only?: 'member'): void {
  const plan = sim.plans.plan;
  if (!plan || plan.status !== 'draft') return;
  const firstAgreement = plan.firstAgreedAt === null;
  const casus = sim.casusregisseur;
  for (const party of missingSignatures(plan, sim.familyContext(), now)) {
    if (only && party.kind !== only) continue;
    const signer =
      party.kind === 'member'
        ? casus
        : (sim.caseTeam.find((p) => p.organisation === party.id) ?? casus);
    sim.onPlan(
      actorOf(signer),
      now,
      (p) =>
        p.sign(
          party,
          { userId: signer.sub, organisation: signer.organisation },
          decisionContext(sim, signer, now),
        ),
      party.kind === 'member' ? { onBehalfOf: party.id } : {},
    );
  }
  if (firstAgreement && sim.plans.plan!.status === 'agreed') startProgress(sim, now);
}

const MAX_SPACING = 30 * DAY;

/**
 * From the first agreement: progress sessions until the case ends (a natural length, or the end
 * of the simulated period), their spacing adapted to the family's event budget (see
 * progressSession), never more than 30 days apart: the product raises a signal after 8 weeks
 * without progress. A case that ends before the period does is closed.
 */
function startProgress(sim: FamilySim, now: Date): void {
  const { rng } = sim;
  const t = now.getTime();
  const escalations = rng.chance(0.4) ? (rng.chance(0.2) ? 2 : 1) : 0;
  sim.spanEnd = Math.min(t + rng.between(180, 720) * DAY, sim.world.periodEnd);
  sim.spacing = Math.min(MAX_SPACING, 14 * DAY);
  sim.schedule(officeHours(t + rng.between(5, 14) * DAY, rng), (at) => progressSession(sim, at));
  planEscalations(sim, now, escalations);
}

/** Days until the next session: the rest of the budget spread over the rest of the case. */
export function nextSpacing(sim: FamilySim, now: number): number {
  const perSession = (sim.progressEvents + 4) / (sim.progressSessions + 2);
  const left = sim.budget - sim.events - sim.pendingEscalations * EVENTS_PER_ESCALATION;
  if (left <= 0) return MAX_SPACING;
  const sessions = Math.max(1, left / perSession);
  return Math.min(MAX_SPACING, Math.max(DAY / 2, (sim.spanEnd - now) / sessions));
}

const EVENTS_PER_ESCALATION = 5;
