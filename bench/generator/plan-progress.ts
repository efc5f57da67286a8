import { addMonths, ageOn, toDateString } from '#libs/clock/calendar.js';
import { consentsOf } from '../../src/families/family.evolve.js';
import {
  ACHIEVEMENT_STATUS,
  CLOSURE_REASONS,
  OPEN_LIFECYCLE,
  type ClosureReason,
} from '../../src/plans/plan.model.js';
import { GOAL_DOMAINS, NOTE_WORDS } from './almere.js';
import { closeOpenEscalations } from './escalation-ladder.js';
import {
  addGoalWithActions,
  caseTeamProfessional,
  decisionContext,
  grantConsent,
  newMember,
  nextSpacing,
  newNetworkMember,
  scheduleComingOfAge,
  signMissing,
} from './family-setup.js';
import { actorOf, type FamilySim } from './family-sim.js';
import { DAY, officeHours } from './time.js';

/**
 * A plan's notes are kept modest: the plan projection rewrites the whole plan document on every
 * event, so a plan with thousands of notes costs quadratic time (a known issue).
 */
export const MAX_NOTES_PER_PLAN = 75;

const PROGRESS_STATUSES = ACHIEVEMENT_STATUS.filter((s) =>
  ['improving', 'worsening', 'no_change'].includes(s),
);

/**
 * One meeting about the plan: a note (the periodic evaluation when it is due), actions done,
 * goals assessed, now and then a change that opens a new version, or news in the family.
 */
export async function progressSession(sim: FamilySim, now: Date): Promise<void> {
  const plan = sim.plans.plan;
  if (!plan || plan.status === 'closed') return;
  const t = now.getTime();
  // The case ends when its time is up; a family past its event budget goes on more slowly.
  if (t >= sim.spanEnd) {
    await closePlan(sim, now);
    return;
  }
  const { rng, familyId } = sim;
  const casus = sim.casusregisseur;
  const ctx = () => decisionContext(sim, casus, now);
  const eventsBefore = sim.events;
  if (plan.status === 'draft') signMissing(sim, now);

  if (plan.notes.length < MAX_NOTES_PER_PLAN) {
    const lastReview = plan.lastEvaluationAt ?? plan.firstAgreedAt;
    const evaluation = lastReview !== null && addMonths(lastReview, 3) <= toDateString(now);
    const goals = plan.goals.filter((g) => OPEN_LIFECYCLE.includes(g.lifecycleStatus));
    const goalId = goals.length > 0 && rng.chance(0.5) ? rng.pick(goals).goalId : null;
    const text = await sim.seal(
      familyId,
      evaluation
        ? 'Evaluatie met het gezin: doelen besproken en bijgesteld.'
        : rng.pick(NOTE_WORDS),
    );
    sim.onPlan(actorOf(casus), now, (p) =>
      p.addNote({ noteId: rng.uuid(), goalId, text, evaluation }, ctx()),
    );
  }

  // Actions planned to be done before the next session are done now: none runs late.
  for (const action of sim.plans.plan!.actions) {
    const planned = sim.actionPlans.get(action.actionId);
    if (action.status !== 'open' || planned === undefined || planned > t + sim.spacing) continue;
    const by = sim.caseTeam.find((p) => p.sub === action.assignee.id) ?? casus;
    sim.onPlan(actorOf(by), now, (p, ctx) => p.completeAction(action.actionId, ctx));
    sim.actionPlans.delete(action.actionId);
  }

  const active = sim.plans.plan!.goals.filter((g) => g.lifecycleStatus === 'active');
  if (active.length > 0 && rng.chance(0.25)) {
    const goal = rng.pick(active);
    sim.onPlan(actorOf(casus), now, (p, ctx) =>
      p.changeGoal(goal.goalId, { achievementStatus: rng.pick(PROGRESS_STATUSES) }, ctx),
    );
  }
  for (const goal of active) {
    const actions = sim.plans.plan!.actions.filter((a) => a.goalId === goal.goalId);
    if (actions.every((a) => a.status !== 'open') && rng.chance(0.5)) {
      sim.onPlan(actorOf(casus), now, (p, ctx) =>
        p.changeGoal(
          goal.goalId,
          { lifecycleStatus: 'achieved', achievementStatus: 'achieved' },
          ctx,
        ),
      );
    }
  }

  const open = sim.plans.plan!.goals.filter((g) => OPEN_LIFECYCLE.includes(g.lifecycleStatus));
  if ((open.length === 0 || rng.chance(0.07)) && open.length < sim.world.maxActiveGoals) {
    await newVersion(sim, now);
  }
  if (rng.chance(0.06)) await familyNews(sim, now);
  if (rng.chance(0.015)) handOverCasusregie(sim, now);

  sim.progressSessions += 1;
  sim.progressEvents += sim.events - eventsBefore;
  sim.spacing = nextSpacing(sim, t);
  const next = t + sim.spacing * rng.between(0.8, 1.2);
  sim.schedule(officeHours(Math.min(next, sim.spanEnd), rng), (at) => progressSession(sim, at));
}

/** A new goal with an action changes what was agreed: version n+1, signed again days later. */
async function newVersion(sim: FamilySim, now: Date): Promise<void> {
  const { rng } = sim;
  const casus = sim.casusregisseur;
  const goalId = await addGoalWithActions(sim, rng.pick(GOAL_DOMAINS), now, rng.int(1, 2));
  sim.onPlan(actorOf(casus), now, (p, ctx) =>
    p.changeGoal(goalId, { lifecycleStatus: 'active' }, ctx),
  );
  sim.schedule(officeHours(now.getTime() + rng.between(2, 6) * DAY, rng), (at) =>
    signMissing(sim, at),
  );
}

/** Something changes in the household or its network. */
async function familyNews(sim: FamilySim, now: Date): Promise<void> {
  const { rng } = sim;
  const actor = actorOf(sim.casusregisseur);
  const news = rng.weighted<'network' | 'consent' | 'withdraw' | 'birth' | 'departure'>([
    ['network', 0.3],
    ['consent', 0.25],
    ['withdraw', 0.15],
    ['birth', 0.1],
    ['departure', 0.2],
  ]);
  switch (news) {
    case 'network': {
      const member = await newNetworkMember(sim);
      sim.onFamily(actor, now, (f) => f.addNetworkMember(member));
      return;
    }
    case 'consent':
      return grantConsent(sim, now);
    case 'withdraw': {
      const consent = consentsOf(sim.family.currentState).find((c) => !c.withdrawn);
      if (!consent) return;
      sim.onFamily(
        actor,
        now,
        (f) => f.withdrawConsent(consent.memberId, consent.consentId, now.toISOString()),
        { onBehalfOf: consent.memberId },
      );
      return;
    }
    case 'birth': {
      const parent = sim.currentMembers().find((m) => m.role === 'parent');
      if (!parent) return;
      const member = await newMember(sim, 'child', toDateString(now), 'Nieuw');
      sim.onFamily(actor, now, (f) => f.addMember(member));
      scheduleComingOfAge(sim, member.memberId, toDateString(now));
      return;
    }
    case 'departure': {
      const leaving = sim
        .currentMembers()
        .find((m) => m.role === 'other' || (m.role === 'child' && ageOn(m.dateOfBirth, now) >= 18));
      if (!leaving) return;
      leaving.status = 'departed';
      sim.onFamily(actor, now, (f) => f.recordDeparture(leaving.memberId));
      return;
    }
  }
}

/** Casusregie moves to an SLT colleague, who joins the case team first. */
function handOverCasusregie(sim: FamilySim, now: Date): void {
  const colleague = sim.team.professionals.find(
    (p) => p.sub !== sim.casusregisseur.sub && !sim.isOnCaseTeam(p.sub),
  );
  if (!colleague) return;
  const actor = actorOf(sim.casusregisseur);
  sim.onFamily(actorOf(colleague), now, (f) => f.joinCaseTeam(caseTeamProfessional(colleague)));
  sim.caseTeam.push(colleague);
  sim.onPlan(actor, now, (p) =>
    p.assignRegie(
      'casusregie',
      { professionalId: colleague.sub },
      decisionContext(sim, sim.casusregisseur, now),
    ),
  );
  sim.casusregisseur = colleague;
}

/** The case ends: open escalations are withdrawn, then the plan is closed. */
async function closePlan(sim: FamilySim, now: Date): Promise<void> {
  await closeOpenEscalations(sim, now);
  const reason = sim.rng.weighted<ClosureReason>(
    CLOSURE_REASONS.map((r) => [r, r === 'goals_achieved' ? 5 : 1] as const),
  );
  sim.onPlan(actorOf(sim.casusregisseur), now, (p, ctx) => p.close(reason, ctx));
}
