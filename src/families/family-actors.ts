import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { actsOnFamily, type FamilyAccessState } from './family-access.js';
import type { Regie } from '../kernel/regie.js';
import { PrivacyLens } from '../privacy/privacy-lens.js';
import { FamilyRegie } from './family-regie.port.js';
import { FamilyStates } from './family-states.js';
import type { FamilyState } from './family.evolve.js';

/**
 * The guard of every command on a family, its plan and its regie. Acting is decided from the
 * write side (the family's stream and its plan's regie, FamilyRegie); only the answer to someone who may
 * not act asks the lens: 403 for whoever may know of the family (an SLT colleague, an auditor,
 * someone with emergency access), 404 for the rest, so a refusal never reveals a family.
 */
@Injectable()
export class FamilyActors {
  constructor(
    @Inject(FamilyRegie) private readonly familyRegie: FamilyRegie,
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(FamilyStates) private readonly families: FamilyStates,
  ) {}

  /** The regie of the family's active plan (none while no plan is open). */
  regie(familyId: string): Promise<Regie> {
    return this.familyRegie.of(familyId);
  }

  /** The family's state, for someone who may act on it (else the 403 or 404 of `refuse`). */
  async familyActedOnBy(familyId: string, user: AuthUser, regie?: Regie): Promise<FamilyState> {
    const family = await this.families.find(familyId);
    await this.assertActs(familyId, family, user, regie);
    return family!;
  }

  async assertActs(
    familyId: string,
    family: FamilyAccessState | undefined,
    user: AuthUser,
    regie?: Regie,
  ): Promise<void> {
    if (family?.registered && actsOnFamily(family, regie ?? (await this.regie(familyId)), user)) {
      return;
    }
    return this.refuse(familyId, family, user);
  }

  /**
   * The refusal for someone who may not act: 403 if they may know of the family, else 404.
   * What the stream itself says (the family's team, auditors) is decided from it, so a
   * colleague's refusal straight after a registration is 403 before the read model has the
   * family; the lens answers for the rest (escalation holders, emergency access, members).
   */
  async refuse(
    familyId: string,
    family: FamilyAccessState | undefined,
    user: AuthUser,
  ): Promise<never> {
    // As the Viewer's relations: an auditor, or a colleague or lead of the family's team.
    const inTeam = family?.teamId !== undefined && user.teams.includes(family.teamId);
    const fromStream =
      family?.registered === true &&
      !user.roles.includes('citizen') &&
      (user.roles.includes('auditor') ||
        (inTeam && (user.roles.includes('professional') || user.roles.includes('team_lead'))));
    if (fromStream || (await this.lens.family(familyId, user))) {
      throw forbidden(
        "Commands on a family are for its case team, its regisseurs and its team's lead",
      );
    }
    throw notFound('No family with this id');
  }
}
