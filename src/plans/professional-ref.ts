import { DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { FamilyContext } from './agreement.js';
import type { RegieHolder } from '../kernel/regie.js';

/** A professional named by id, with name and organisation when the case team cannot supply them. */
export interface ProfessionalRef {
  readonly professionalId: string;
  readonly name?: string;
  readonly organisation?: string;
}

/** Who a reference names: the case team knows its own people; others must say who they are. */
export function resolveProfessional(
  ref: ProfessionalRef,
  caseTeam: FamilyContext['caseTeam'],
): RegieHolder {
  const member = caseTeam.find((p) => p.professionalId === ref.professionalId);
  const name = ref.name ?? member?.name;
  const organisation = ref.organisation ?? member?.organisation;
  if (!name || !organisation) {
    throw new DomainRuleViolation(
      'Give the name and organisation of a professional who is not on the case team',
      !name ? 'name' : 'organisation',
    );
  }
  return { professionalId: ref.professionalId, name, organisation };
}
