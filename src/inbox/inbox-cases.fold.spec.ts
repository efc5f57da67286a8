import { describe, expect, it } from '@jest/globals';
import {
  byRoleOrder,
  foldInboxPlan,
  isOfPlan,
  opensEscalation,
  regieRoles,
  type InboxPlanEvent,
  type InboxRole,
} from './inbox-cases.fold.js';

const PLAN = '5b0c2f4e-0000-4000-8000-000000000001';
const NEXT = '5b0c2f4e-0000-4000-8000-000000000002';
const fold = (events: InboxPlanEvent[]) => events.reduce(foldInboxPlan, null);
const assign = (
  role: 'casusregie' | 'perspectiefregie' | 'procesregie',
  professionalId: string,
  planId = PLAN,
): InboxPlanEvent => ({
  type: 'gezinsplan.RegieAssigned',
  data: { planId, role, holder: { professionalId } },
});

describe("the inbox's fold of a family's plan", () => {
  it('lists each regisseur of an open plan, in the order the inbox shows roles', () => {
    const plan = fold([
      { type: 'gezinsplan.PlanOpened', data: { planId: PLAN } },
      assign('procesregie', 'prof-pim'),
      assign('casusregie', 'prof-sanne'),
      assign('casusregie', 'prof-omar'),
    ]);
    expect(regieRoles(plan)).toEqual([
      { role: 'casusregisseur', professionalId: 'prof-omar' },
      { role: 'procesregisseur', professionalId: 'prof-pim' },
    ]);
  });

  it('has no regisseurs once the plan is closed, nor before a plan is opened', () => {
    const closed = fold([
      { type: 'gezinsplan.PlanOpened', data: { planId: PLAN } },
      assign('casusregie', 'prof-sanne'),
      { type: 'gezinsplan.PlanClosed', data: { planId: PLAN } },
    ]);
    expect(closed?.open).toBe(false);
    expect(regieRoles(closed)).toEqual([]);
    expect(regieRoles(fold([assign('casusregie', 'prof-sanne')]))).toEqual([]);
  });

  it('starts the next plan without regie and ignores events of another plan', () => {
    const next = fold([
      { type: 'gezinsplan.PlanOpened', data: { planId: PLAN } },
      assign('casusregie', 'prof-sanne'),
      { type: 'gezinsplan.PlanClosed', data: { planId: PLAN } },
      { type: 'gezinsplan.PlanOpened', data: { planId: NEXT } },
      assign('casusregie', 'prof-omar', PLAN),
    ]);
    expect(next).toEqual({
      planId: NEXT,
      open: true,
      regie: { casusregisseur: null, perspectiefregisseur: null, procesregisseur: null },
    });
    const action: InboxPlanEvent = {
      type: 'gezinsplan.ActionCompleted',
      data: { planId: PLAN, actionId: 'a-1' },
    };
    expect(isOfPlan(next, action)).toBe(false);
    expect(isOfPlan(next, { ...action, data: { ...action.data, planId: NEXT } })).toBe(true);
    expect(isOfPlan(null, action)).toBe(false);
  });
});

describe("the inbox's view of escalations and roles", () => {
  it('counts an escalation open from its signal or reopening until it is resolved or withdrawn', () => {
    const id = { escalationId: 'e-1' };
    expect(
      opensEscalation({ type: 'escalation.SignalRaised', data: { ...id, familyId: 'f' } }),
    ).toBe(true);
    expect(opensEscalation({ type: 'escalation.Reopened', data: id })).toBe(true);
    expect(opensEscalation({ type: 'escalation.Resolved', data: id })).toBe(false);
    expect(opensEscalation({ type: 'escalation.Withdrawn', data: id })).toBe(false);
  });

  it('orders roles: the case team first, then casus-, perspectief- and procesregie', () => {
    const roles: InboxRole[] = ['procesregisseur', 'case_team', 'casusregisseur'];
    expect(roles.sort(byRoleOrder)).toEqual(['case_team', 'casusregisseur', 'procesregisseur']);
  });
});
