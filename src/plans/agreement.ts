import { ageOn } from '#libs/clock/calendar.js';
import { OPEN_LIFECYCLE, sameParty, type Party, type Plan } from './plan.model.js';

/** What the plan rules need to know about the family (see family-context.ts). */
export interface FamilyContext {
  readonly members: ReadonlyArray<{
    readonly memberId: string;
    readonly role: 'parent' | 'child' | 'other';
    readonly status: 'current' | 'departed';
    /** null once the member's personal data was erased. */
    readonly dateOfBirth: string | null;
  }>;
  readonly networkIds: readonly string[];
  readonly caseTeam: ReadonlyArray<{
    readonly professionalId: string;
    readonly organisation: string;
    readonly name?: string;
  }>;
}

export const AGREEMENT_AGE = 12;

/**
 * The parties whose signature makes a version binding: each parent, each current member aged
 * 12 or older whom an open goal concerns, and every organisation with an open action.
 */
export function requiredParties(plan: Plan, family: FamilyContext, today: Date): Party[] {
  const parties: Party[] = [];
  const add = (party: Party) => {
    if (!parties.some((p) => sameParty(p, party))) parties.push(party);
  };
  const current = family.members.filter((m) => m.status === 'current');
  for (const member of current) {
    if (member.role === 'parent') add({ kind: 'member', id: member.memberId });
  }
  const concerned = new Set(
    plan.goals.filter((g) => OPEN_LIFECYCLE.includes(g.lifecycleStatus)).flatMap((g) => g.concerns),
  );
  for (const member of current) {
    const oldEnough =
      member.dateOfBirth !== null && ageOn(member.dateOfBirth, today) >= AGREEMENT_AGE;
    if (concerned.has(member.memberId) && oldEnough) add({ kind: 'member', id: member.memberId });
  }
  for (const action of plan.actions) {
    if (action.status === 'open' && action.assignee.organisation) {
      add({ kind: 'organisation', id: action.assignee.organisation });
    }
  }
  return parties;
}

export function missingSignatures(plan: Plan, family: FamilyContext, today: Date): Party[] {
  return requiredParties(plan, family, today).filter(
    (party) => !plan.signatures.some((s) => sameParty(s.party, party)),
  );
}
