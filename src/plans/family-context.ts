import type { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import type { FamilyContext } from './agreement.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';

/** The family as stored (aggregate state and read model share this shape): personal data sealed. */
export interface StoredFamily {
  readonly members: ReadonlyArray<{
    memberId: string;
    role: 'parent' | 'child' | 'other';
    status: 'current' | 'departed';
    personal: string;
  }>;
  readonly networkIds: readonly string[];
  readonly caseTeam: ReadonlyArray<{ professionalId: string; organisation: string; name?: string }>;
}

/** Opens what the plan rules need (dates of birth, for ages); an erased member has none. */
export async function familyContext(
  family: StoredFamily,
  vault: PersonalDataVault,
): Promise<FamilyContext> {
  const members = await Promise.all(
    family.members.map(async ({ memberId, role, status, personal }) => ({
      memberId,
      role,
      status,
      dateOfBirth: await dateOfBirthOf(vault, personal),
    })),
  );
  return {
    members,
    networkIds: family.networkIds,
    caseTeam: family.caseTeam.map(({ professionalId, organisation, name }) => ({
      professionalId,
      organisation,
      name,
    })),
  };
}
