import type { CaseTeamProfessional } from '../kernel/professionals.js';
import {
  assignRegie,
  NO_REGIE,
  type Regie,
  type RegieHolder,
  type RegieRole,
} from '../kernel/regie.js';

/*
 * The privacy lens keeps its own copy of the facts it decides with, folded straight from the
 * events. Every event is read through the consumer's view declared here: their type names and
 * payload fields are a published contract, and importing the producers' types would tie
 * src/privacy to the capabilities above it, which all depend on it. Each producer checks at
 * compile time that its events still read as these views (`ReadableAs`, next to its events).
 */

/** The plan events the lens folds; every plan event carries its planId. */
export type PlanEventView =
  | { type: 'gezinsplan.PlanOpened'; data: { planId: string } }
  | { type: 'gezinsplan.PlanAgreed'; data: { planId: string } }
  | { type: 'gezinsplan.PlanVersionOpened'; data: { planId: string } }
  | { type: 'gezinsplan.PlanClosed'; data: { planId: string } }
  | {
      type: 'gezinsplan.RegieAssigned';
      data: { planId: string; role: RegieRole; holder: RegieHolder };
    }
  | { type: 'gezinsplan.CasusregieVacant'; data: { planId: string; since: string } };

export const PLAN_EVENT_VIEW_TYPES = [
  'gezinsplan.PlanOpened',
  'gezinsplan.PlanAgreed',
  'gezinsplan.PlanVersionOpened',
  'gezinsplan.PlanClosed',
  'gezinsplan.RegieAssigned',
  'gezinsplan.CasusregieVacant',
] as const satisfies readonly PlanEventView['type'][];

/** The family's current (or last) plan: its status and who holds which regie. */
export interface PlanFactsState {
  readonly planId: string;
  readonly status: 'draft' | 'agreed' | 'closed';
  readonly regie: Regie;
}

/** As plans/plan.evolve.ts: a new PlanOpened replaces the last plan; other plans' events are ignored. */
export function foldPlanFacts(
  plan: PlanFactsState | null,
  event: PlanEventView,
): PlanFactsState | null {
  if (event.type === 'gezinsplan.PlanOpened') {
    return { planId: event.data.planId, status: 'draft', regie: NO_REGIE };
  }
  if (!plan || plan.planId !== event.data.planId) return plan;
  switch (event.type) {
    case 'gezinsplan.PlanAgreed':
      return { ...plan, status: 'agreed' };
    case 'gezinsplan.PlanVersionOpened':
      return { ...plan, status: 'draft' };
    case 'gezinsplan.PlanClosed':
      return { ...plan, status: 'closed' };
    case 'gezinsplan.RegieAssigned':
      return { ...plan, regie: assignRegie(plan.regie, event.data.role, event.data.holder) };
    case 'gezinsplan.CasusregieVacant':
      return { ...plan, regie: { ...plan.regie, casusregieVacantSince: event.data.since } };
  }
}

interface HolderView {
  readonly professionalId: string;
}

/** The escalation events the lens folds (escalations/escalation.events.ts). */
export type EscalationEventView =
  | {
      type: 'escalation.SignalRaised';
      data: { escalationId: string; familyId: string; holder: HolderView | null };
    }
  | {
      type: 'escalation.Escalated';
      data: { escalationId: string; toLevel: number; holder: HolderView | null };
    }
  | { type: 'escalation.HolderAppointed'; data: { escalationId: string; holder: HolderView } }
  | { type: 'escalation.Resolved'; data: { escalationId: string } }
  | { type: 'escalation.Withdrawn'; data: { escalationId: string } }
  | { type: 'escalation.Reopened'; data: { escalationId: string; level: number } };

export const ESCALATION_EVENT_VIEW_TYPES = [
  'escalation.SignalRaised',
  'escalation.Escalated',
  'escalation.HolderAppointed',
  'escalation.Resolved',
  'escalation.Withdrawn',
  'escalation.Reopened',
] as const satisfies readonly EscalationEventView['type'][];

/** Who holds which level of one escalation, and whether it is still open. */
export interface EscalationFactsState {
  readonly familyId: string;
  readonly level: number;
  readonly status: 'open' | 'resolved' | 'withdrawn';
  readonly holderId: string | null;
}

/** As escalations/escalation.evolve.ts, for level, status and holder only. */
export function foldEscalationFacts(
  state: EscalationFactsState | undefined,
  event: EscalationEventView,
): EscalationFactsState | undefined {
  if (event.type === 'escalation.SignalRaised') {
    const { familyId, holder } = event.data;
    return { familyId, level: 0, status: 'open', holderId: holder?.professionalId ?? null };
  }
  if (!state) return state;
  switch (event.type) {
    case 'escalation.Escalated':
      return {
        ...state,
        level: event.data.toLevel,
        holderId: event.data.holder?.professionalId ?? null,
      };
    case 'escalation.HolderAppointed':
      return { ...state, holderId: event.data.holder.professionalId };
    case 'escalation.Resolved':
      return { ...state, status: 'resolved' };
    case 'escalation.Withdrawn':
      return { ...state, status: 'withdrawn' };
    case 'escalation.Reopened':
      // The holder of the level it ended on holds it again (escalation.evolve.ts).
      return { ...state, status: 'open', level: event.data.level };
  }
}

/** Sealed with the member's key, exactly as the events carry it. */
export interface MemberFact {
  readonly memberId: string;
  readonly role: 'parent' | 'child' | 'other';
  readonly status: 'current' | 'departed';
  readonly personal: string;
}

type MemberView = Omit<MemberFact, 'status'>;
export type CaseTeamFact = CaseTeamProfessional;
interface ConsentView {
  readonly consentId: string;
  readonly memberId: string;
  readonly grantee: { readonly organisation: string } | { readonly memberId: string };
  readonly lifeDomain: string;
  readonly purpose: string;
  readonly until: string | null;
  readonly grantedAt: string;
}
export type ConsentFact = ConsentView & { readonly withdrawn: boolean };

interface OfFamily {
  readonly familyId: string;
}

/** The family events the lens folds (families/family.events.ts). */
export type FamilyEventView =
  | {
      type: 'family.FamilyRegistered';
      data: OfFamily & { teamId: string; members: readonly MemberView[] };
    }
  | { type: 'family.ProfessionalJoinedCaseTeam'; data: OfFamily & CaseTeamProfessional }
  | { type: 'family.MemberAdded'; data: OfFamily & MemberView }
  | { type: 'family.MemberDeparted'; data: OfFamily & { memberId: string } }
  | { type: 'family.ConsentGranted'; data: OfFamily & ConsentView }
  | { type: 'family.ConsentWithdrawn'; data: OfFamily & { consentId: string } };

/** One family's facts; teamId stays null until the family is registered (the lens skips it). */
export interface FamilyFactsState {
  readonly teamId: string | null;
  readonly members: readonly MemberFact[];
  readonly caseTeam: readonly CaseTeamFact[];
  readonly consents: readonly ConsentFact[];
  readonly plan: PlanFactsState | null;
}

export const NO_FAMILY_FACTS: FamilyFactsState = {
  teamId: null,
  members: [],
  caseTeam: [],
  consents: [],
  plan: null,
};

/** As families/family.projection.ts for members, case team and consents; lists keep their order. */
export function foldFamilyFacts(state: FamilyFactsState, event: FamilyEventView): FamilyFactsState {
  switch (event.type) {
    case 'family.FamilyRegistered':
      return {
        ...state,
        teamId: event.data.teamId,
        members: event.data.members.map(({ memberId, role, personal }) => ({
          memberId,
          role,
          status: 'current',
          personal,
        })),
        caseTeam: [],
        consents: [],
      };
    case 'family.ProfessionalJoinedCaseTeam': {
      const { familyId: _, ...professional } = event.data;
      return { ...state, caseTeam: [...state.caseTeam, professional] };
    }
    case 'family.MemberAdded': {
      const { memberId, role, personal } = event.data;
      return {
        ...state,
        members: [...state.members, { memberId, role, status: 'current', personal }],
      };
    }
    case 'family.MemberDeparted':
      // The member stays listed: a departed member's items and log entries still name them.
      return {
        ...state,
        members: state.members.map((m) =>
          m.memberId === event.data.memberId ? { ...m, status: 'departed' } : m,
        ),
      };
    case 'family.ConsentGranted': {
      const { familyId: _, ...consent } = event.data;
      return { ...state, consents: [...state.consents, { ...consent, withdrawn: false }] };
    }
    case 'family.ConsentWithdrawn':
      return {
        ...state,
        consents: state.consents.map((c) =>
          c.consentId === event.data.consentId ? { ...c, withdrawn: true } : c,
        ),
      };
    default:
      // The network and the address are the family view's; ages come from the clock.
      return state;
  }
}

/** The other family events change nothing the lens reads; the projection does not subscribe to them. */
export const FAMILY_EVENT_VIEW_TYPES = [
  'family.FamilyRegistered',
  'family.ProfessionalJoinedCaseTeam',
  'family.MemberAdded',
  'family.MemberDeparted',
  'family.ConsentGranted',
  'family.ConsentWithdrawn',
] as const satisfies readonly FamilyEventView['type'][];

/** The emergency access the lens counts a family's reads by (emergency-access.events.ts). */
export interface EmergencyGrantView {
  type: 'emergency.AccessGranted';
  data: {
    accessId: string;
    userId: string;
    reason: string;
    grantedAt: string;
    until: string;
    familyIds: readonly string[];
  };
}
