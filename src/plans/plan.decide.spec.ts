import { describe, it } from '@jest/globals';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import type { FamilyContext } from './agreement.js';
import { planDecider, type DecisionContext, type NewGoal } from './plan.decide.js';
import type { PlanEvent } from './plan.events.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const AT = NOW.toISOString();
const family: FamilyContext = {
  members: [
    { memberId: 'mother', role: 'parent', status: 'current', dateOfBirth: '1986-03-14' },
    { memberId: 'toddler', role: 'child', status: 'current', dateOfBirth: '2025-05-20' },
    { memberId: 'father', role: 'parent', status: 'departed', dateOfBirth: '1984-07-01' },
  ],
  networkIds: [],
  caseTeam: [{ professionalId: 'slt', organisation: 'SLT Haven', name: 'Sanne' }],
};
const ctx: DecisionContext = { family, now: NOW, actorId: 'slt', maxActiveGoals: 2 };
const spec = deciderSpec(planDecider);

const planId = 'plan-1';
const opened: PlanEvent = {
  type: 'gezinsplan.PlanOpened',
  data: { planId, familyId: 'family-1', openedAt: AT },
};
const goal = (goalId: string): NewGoal => ({
  goalId,
  familyWording: 'Rust in huis',
  professionalWording: null,
  concerns: ['mother'],
  lifeDomain: 'housing',
  targetDate: null,
});
/** A goal as stored: the history holds sealed texts (here stand-ins, the rules never read them). */
const goalAdded = (
  goalId: string,
  lifecycleStatus: 'proposed' | 'active' = 'active',
): PlanEvent => ({
  type: 'gezinsplan.GoalAdded',
  data: {
    planId,
    goal: {
      ...goal(goalId),
      familyWording: 'pd1:family-1:x' as Sealed,
      professionalWording: null,
      confidentiality: 'case_team',
      lifecycleStatus,
      achievementStatus: 'in_progress',
      authorId: 'slt',
    },
  },
});
const signed: PlanEvent = {
  type: 'gezinsplan.PlanSigned',
  data: {
    planId,
    version: 1,
    party: { kind: 'member', id: 'mother' },
    signedBy: 'slt',
    signedAt: AT,
  },
};
const agreed: PlanEvent = {
  type: 'gezinsplan.PlanAgreed',
  data: { planId, version: 1, agreedAt: AT },
};

describe('the plan decider', () => {
  it('opens a plan, and refuses a second while one is active: one family, one plan', () => {
    spec.given([]).when({ type: 'OpenPlan', familyId: 'family-1', planId }, ctx).then([opened]);
    spec
      .given([opened])
      .when({ type: 'OpenPlan', familyId: 'family-1', planId: 'plan-2' }, ctx)
      .thenFails(DomainConflict, /one family, one plan/);
  });

  it('adds a goal in the family own words, as plaintext until the pipeline seals it', () => {
    spec
      .given([opened])
      .when({ type: 'AddGoal', goal: goal('g1') }, ctx)
      .then([
        {
          type: 'gezinsplan.GoalAdded',
          data: {
            planId,
            goal: {
              ...goal('g1'),
              confidentiality: 'case_team',
              lifecycleStatus: 'proposed',
              achievementStatus: 'in_progress',
              authorId: 'slt',
            },
          },
        },
      ]);
  });

  it('keeps the number of active goals small and refuses goals for departed members', () => {
    spec
      .given([opened, goalAdded('g1'), goalAdded('g2')])
      .when({ type: 'AddGoal', goal: goal('g3') }, ctx)
      .thenFails(DomainRuleViolation, /at most 2 active goals/);
    spec
      .given([opened])
      .when({ type: 'AddGoal', goal: { ...goal('g1'), concerns: ['father'] } }, ctx)
      .thenFails(DomainRuleViolation, /has left the family/);
  });

  it('opens the next version when an agreed plan changes', () => {
    spec
      .given([opened, goalAdded('g1'), signed, agreed])
      .when({ type: 'ChangeGoal', goalId: 'g1', change: { targetDate: '2027-06-01' } }, ctx)
      .then([
        { type: 'gezinsplan.PlanVersionOpened', data: { planId, version: 2 } },
        {
          type: 'gezinsplan.GoalChanged',
          data: { planId, goalId: 'g1', targetDate: '2027-06-01' },
        },
      ]);
  });

  it('makes the version binding with the last signature, and records a vacant casusregie', () => {
    spec
      .given([opened, goalAdded('g1')])
      .when(
        {
          type: 'SignPlan',
          party: { kind: 'member', id: 'mother' },
          signer: { userId: 'slt', organisation: 'SLT Haven' },
        },
        ctx,
      )
      .then([signed, agreed, { type: 'gezinsplan.CasusregieVacant', data: { planId, since: AT } }]);
  });

  it('gives casusregie only to the case team, and no command to a family without a plan', () => {
    spec
      .given([opened])
      .when(
        { type: 'AssignRegie', role: 'casusregie', professional: { professionalId: 'stranger' } },
        ctx,
      )
      .thenFails(DomainRuleViolation, /must be on the case team/);
    spec
      .given([])
      .when({ type: 'ClosePlan', reason: 'goals_achieved' }, ctx)
      .thenFails(DomainNotFound, /no active plan/);
  });
});
