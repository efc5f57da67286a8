/*
 * The inbox keeps its own rows of the cases it lists, folded straight from the events. It reads
 * the family, plan and escalation events through the consumer's view declared here (type names
 * and payload fields are a published contract), not through the producers' types.
 */

export const REGIE_FIELDS = ['casusregisseur', 'perspectiefregisseur', 'procesregisseur'] as const;
export type RegieField = (typeof REGIE_FIELDS)[number];
export type InboxRole = 'case_team' | RegieField;

const HOLDER_FIELD = {
  casusregie: 'casusregisseur',
  perspectiefregie: 'perspectiefregisseur',
  procesregie: 'procesregisseur',
} as const satisfies Record<string, RegieField>;

/** The plan events the inbox folds; every plan event carries its planId. */
export type InboxPlanEvent =
  | { type: 'gezinsplan.PlanOpened'; data: { planId: string } }
  | { type: 'gezinsplan.PlanClosed'; data: { planId: string } }
  | {
      type: 'gezinsplan.RegieAssigned';
      data: {
        planId: string;
        role: keyof typeof HOLDER_FIELD;
        holder: { professionalId: string };
      };
    }
  | {
      type: 'gezinsplan.ActionAdded';
      data: { planId: string; action: { actionId: string; dueDate: string; status: string } };
    }
  | { type: 'gezinsplan.ActionCompleted'; data: { planId: string; actionId: string } };

export const INBOX_PLAN_EVENT_TYPES = [
  'gezinsplan.PlanOpened',
  'gezinsplan.PlanClosed',
  'gezinsplan.RegieAssigned',
  'gezinsplan.ActionAdded',
  'gezinsplan.ActionCompleted',
] as const satisfies readonly InboxPlanEvent['type'][];

/** A family's current (or last) plan as the inbox sees it. */
export interface InboxPlanState {
  readonly planId: string;
  readonly open: boolean;
  readonly regie: Readonly<Record<RegieField, string | null>>;
}

/** As plans/plan.evolve.ts: a new PlanOpened replaces the last plan; other plans' events are ignored. */
export function foldInboxPlan(
  plan: InboxPlanState | null,
  event: InboxPlanEvent,
): InboxPlanState | null {
  if (event.type === 'gezinsplan.PlanOpened') {
    return {
      planId: event.data.planId,
      open: true,
      regie: { casusregisseur: null, perspectiefregisseur: null, procesregisseur: null },
    };
  }
  if (!plan || plan.planId !== event.data.planId) return plan;
  switch (event.type) {
    case 'gezinsplan.PlanClosed':
      return { ...plan, open: false };
    case 'gezinsplan.RegieAssigned':
      return {
        ...plan,
        regie: { ...plan.regie, [HOLDER_FIELD[event.data.role]]: event.data.holder.professionalId },
      };
    default:
      return plan;
  }
}

/** Whether an event of a plan is about the family's current plan (else the plan view drops it). */
export const isOfPlan = (plan: InboxPlanState | null, event: InboxPlanEvent) =>
  plan !== null && plan.planId === event.data.planId;

/** Who holds which regie of a plan that is not closed: a closed plan has no regisseurs on desks. */
export function regieRoles(
  plan: InboxPlanState | null,
): Array<{ role: RegieField; professionalId: string }> {
  if (!plan?.open) return [];
  return REGIE_FIELDS.flatMap((role) => {
    const professionalId = plan.regie[role];
    return professionalId ? [{ role, professionalId }] : [];
  });
}

/** The escalation events that open or close one (escalations/escalation.events.ts). */
export type InboxEscalationEvent =
  | { type: 'escalation.SignalRaised'; data: { escalationId: string; familyId: string } }
  | { type: 'escalation.Resolved'; data: { escalationId: string } }
  | { type: 'escalation.Withdrawn'; data: { escalationId: string } }
  | { type: 'escalation.Reopened'; data: { escalationId: string } };

export const INBOX_ESCALATION_EVENT_TYPES = [
  'escalation.SignalRaised',
  'escalation.Resolved',
  'escalation.Withdrawn',
  'escalation.Reopened',
] as const satisfies readonly InboxEscalationEvent['type'][];

/** Whether the escalation is open after the event (as escalation.evolve.ts sets its status). */
export const opensEscalation = (event: InboxEscalationEvent): boolean =>
  event.type === 'escalation.SignalRaised' || event.type === 'escalation.Reopened';

/** The family events the inbox folds. */
export type InboxFamilyEvent =
  | {
      type: 'family.FamilyRegistered';
      data: { familyId: string };
      metadata: { occurredAt: string };
    }
  | {
      type: 'family.ProfessionalJoinedCaseTeam';
      data: { familyId: string; professionalId: string };
    };

export const INBOX_FAMILY_EVENT_TYPES = [
  'family.FamilyRegistered',
  'family.ProfessionalJoinedCaseTeam',
] as const satisfies readonly InboxFamilyEvent['type'][];

/** Roles in the order the inbox lists them: the case team first, then each regie. */
export const byRoleOrder = (a: InboxRole, b: InboxRole) =>
  ['case_team', ...REGIE_FIELDS].indexOf(a) - ['case_team', ...REGIE_FIELDS].indexOf(b);
