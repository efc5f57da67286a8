import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import { missingSignatures, requiredParties, type FamilyContext } from './agreement.js';
import { Gezinsplan, type DecisionContext } from './plan.aggregate.js';
import type { PlanEvent } from './plan.events.js';
import { evolvePlan, INITIAL_PLAN_STATE } from './plan.evolve.js';
import {
  ACHIEVEMENT_STATUS,
  CLOSURE_REASONS,
  GOAL_LIFECYCLE,
  OPEN_LIFECYCLE,
  type Plan,
} from './plan.model.js';
import { LIFE_DOMAINS } from '../kernel/life-domains.js';
import type { Sealed } from '#libs/personal-data/sealed.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const MAX_GOALS = 3;

const family: FamilyContext = {
  members: [
    { memberId: 'mother', role: 'parent', status: 'current', dateOfBirth: '1986-03-14' },
    { memberId: 'teen', role: 'child', status: 'current', dateOfBirth: '2012-01-02' },
    { memberId: 'toddler', role: 'child', status: 'current', dateOfBirth: '2025-05-20' },
    { memberId: 'father', role: 'parent', status: 'departed', dateOfBirth: '1984-07-01' },
  ],
  networkIds: ['grandmother'],
  caseTeam: [
    { professionalId: 'slt', organisation: 'SLT Haven' },
    { professionalId: 'jgz', organisation: 'GGD Flevoland' },
  ],
};
const ctx: DecisionContext = { family, now: NOW, actorId: 'slt', maxActiveGoals: MAX_GOALS };

const memberIds = family.members.map((m) => m.memberId);
const assignees = [
  ...memberIds.map((id) => ({ kind: 'member' as const, id })),
  { kind: 'network' as const, id: 'grandmother' },
  { kind: 'network' as const, id: 'stranger' },
  { kind: 'professional' as const, id: 'slt' },
  { kind: 'professional' as const, id: 'jgz' },
  { kind: 'professional' as const, id: 'outsider' },
];
const parties = [
  ...memberIds.map((id) => ({ kind: 'member' as const, id })),
  { kind: 'organisation' as const, id: 'SLT Haven' },
  { kind: 'organisation' as const, id: 'GGD Flevoland' },
  { kind: 'organisation' as const, id: 'Somebody Else' },
];

const op = fc.oneof(
  { weight: 1, arbitrary: fc.record({ op: fc.constant('open' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('addGoal' as const),
      concerns: fc.subarray(memberIds),
      domain: fc.constantFrom(...LIFE_DOMAINS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('changeGoal' as const),
      goal: fc.nat(8),
      lifecycle: fc.option(fc.constantFrom(...GOAL_LIFECYCLE), { nil: undefined }),
      achievement: fc.option(fc.constantFrom(...ACHIEVEMENT_STATUS), { nil: undefined }),
      targetDate: fc.option(fc.constantFrom('2027-01-01', '2027-06-30'), { nil: undefined }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('addAction' as const),
      goal: fc.nat(8),
      assignee: fc.constantFrom(...assignees),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('complete' as const), action: fc.nat(8) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('note' as const),
      goal: fc.option(fc.nat(8), { nil: null }),
      evaluation: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('sign' as const),
      party: fc.constantFrom(...parties),
      ownOrganisation: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('close' as const),
      reason: fc.constantFrom(...CLOSURE_REASONS),
    }),
  },
  // A plan meeting: everybody who still has to sign does.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('signingMeeting' as const) }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** What was agreed: everything but the progress made on it. */
function agreedContent(plan: Plan) {
  return {
    goals: plan.goals.map(({ achievementStatus: _a, lifecycleStatus, ...g }) => ({
      ...g,
      cancelled: lifecycleStatus === 'cancelled',
    })),
    actions: plan.actions.map(({ status: _s, completedAt: _c, ...a }) => a),
  };
}

/** The properties are about the plan's rules, which never read a text: no vault needed. */
const unsealed = (text: string) => text as Sealed;

function run(aggregate: Gezinsplan, step: Op, n: number): void {
  const plan = aggregate.plan;
  const goalId = (i: number) =>
    plan?.goals[i % Math.max(1, plan.goals.length)]?.goalId ?? `goal-${i}`;
  switch (step.op) {
    case 'open':
      return aggregate.open(`plan-${n}`, ctx);
    case 'addGoal':
      return aggregate.addGoal(
        {
          goalId: `goal-${n}`,
          familyWording: unsealed(`words ${n}`),
          professionalWording: null,
          concerns: step.concerns,
          lifeDomain: step.domain,
          targetDate: null,
        },
        ctx,
      );
    case 'changeGoal':
      return aggregate.changeGoal(
        goalId(step.goal),
        {
          lifecycleStatus: step.lifecycle,
          achievementStatus: step.achievement,
          targetDate: step.targetDate,
        },
        ctx,
      );
    case 'addAction':
      return aggregate.addAction(
        {
          actionId: `action-${n}`,
          goalId: goalId(step.goal),
          description: unsealed('do it'),
          assignee: step.assignee,
          dueDate: '2027-01-15',
        },
        ctx,
      );
    case 'complete': {
      const actions = plan?.actions ?? [];
      return aggregate.completeAction(
        actions[step.action % Math.max(1, actions.length)]?.actionId ?? 'none',
        ctx,
      );
    }
    case 'note':
      return aggregate.addNote(
        {
          noteId: `note-${n}`,
          goalId: step.goal === null ? null : goalId(step.goal),
          text: unsealed('note'),
          evaluation: step.evaluation,
        },
        ctx,
      );
    case 'sign': {
      const organisation =
        step.party.kind === 'organisation' && step.ownOrganisation ? step.party.id : 'SLT Haven';
      return aggregate.sign(step.party, { userId: 'slt', organisation }, ctx);
    }
    case 'close':
      return aggregate.close(step.reason, ctx);
    case 'signingMeeting':
      for (const party of plan ? missingSignatures(plan, family, NOW) : []) {
        const organisation = party.kind === 'organisation' ? party.id : 'SLT Haven';
        aggregate.sign(party, { userId: 'slt', organisation }, ctx);
      }
      return;
  }
}

const DOMAIN_ERRORS = [DomainConflict, DomainNotFound, DomainRuleViolation];

describe('Gezinsplan properties', () => {
  it('no sequence of commands breaks an invariant, and replay equals the live state', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80 }), (generated) => {
        // Most sequences are only interesting with a plan, so every run starts by opening one.
        const ops: Op[] = [{ op: 'open' }, ...generated];
        const aggregate = new Gezinsplan('family-1');
        const agreedVersions = new Map<string, ReturnType<typeof agreedContent>>();
        ops.forEach((step, n) => {
          const before = aggregate.plan;
          const eventsBefore = aggregate.getUncommittedEvents().length;
          try {
            run(aggregate, step, n);
          } catch (error) {
            if (!DOMAIN_ERRORS.some((kind) => error instanceof kind)) throw error;
            // A refused command records nothing.
            expect(aggregate.getUncommittedEvents()).toHaveLength(eventsBefore);
            return;
          }
          const plan = aggregate.plan;
          if (!plan) return;

          // 1. One family, one plan: a plan opens only when there is none or the last is closed.
          if (step.op === 'open')
            expect(before === undefined || before.status === 'closed').toBe(true);
          // 6. At most MAX_GOALS goals are open.
          expect(
            plan.goals.filter((g) => OPEN_LIFECYCLE.includes(g.lifecycleStatus)).length,
          ).toBeLessThanOrEqual(MAX_GOALS);
          // 4. An agreed version never changes: its agreed content stays what was signed.
          const key = `${plan.planId}@${plan.version}`;
          if (plan.status === 'agreed') {
            if (!agreedVersions.has(key)) agreedVersions.set(key, agreedContent(plan));
            expect(agreedContent(plan)).toEqual(agreedVersions.get(key));
          }
          // An agreed version has every required signature.
          if (plan.status === 'agreed' && before?.status !== 'agreed') {
            const required = requiredParties(plan, family, NOW);
            expect(
              required.every((p) =>
                plan.signatures.some((s) => s.party.kind === p.kind && s.party.id === p.id),
              ),
            ).toBe(true);
          }
          // 5 and 7. Assignees and concerned members are current members, network or case team.
          for (const action of plan.actions) {
            const { kind, id } = action.assignee;
            const valid =
              (kind === 'member' &&
                family.members.some((m) => m.memberId === id && m.status === 'current')) ||
              (kind === 'network' && family.networkIds.includes(id)) ||
              (kind === 'professional' && family.caseTeam.some((p) => p.professionalId === id));
            expect(valid).toBe(true);
          }
          for (const goal of plan.goals) expect(goal.concerns).not.toContain('father');
          // Versions count up from 1 without gaps; agreed ones carry their moment.
          expect(plan.versions.map((v) => v.version)).toEqual(plan.versions.map((_, i) => i + 1));
          for (const v of plan.versions) expect(v.status === 'agreed').toBe(v.agreedAt !== null);
        });

        const events = aggregate.getUncommittedEvents() as PlanEvent[];
        expect(events.reduce(evolvePlan, INITIAL_PLAN_STATE)).toEqual(aggregate.currentState);
        const replayed = new Gezinsplan('family-1');
        replayed.loadFromHistory(JSON.parse(JSON.stringify(events)));
        expect(replayed.currentState).toEqual(aggregate.currentState);
      }),
      { numRuns: 300 },
    );
  });
});
