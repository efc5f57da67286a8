import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';

/** Independence (invariant 3): the procesregisseur and brandpuntfunctionaris are not involved in care. */
export interface Independence {
  readonly onCaseTeam: boolean;
  readonly holdsAction: boolean;
}

export function assertIndependent(independence: Independence, role: string): void {
  if (independence.onCaseTeam) {
    throw new DomainRuleViolation(
      `The ${role} must be independent: this professional is on the case team`,
      'professionalId',
    );
  }
  if (independence.holdsAction) {
    throw new DomainRuleViolation(
      `The ${role} must be independent: this professional holds an action in the plan`,
      'professionalId',
    );
  }
}
