import { Inject, Injectable } from '@nestjs/common';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { PrivacyLens } from './privacy-lens.js';

/** The full BSN, for the casusregisseur or an auditor with a stated legal basis; logged. */
@Injectable()
export class BsnRevealQuery {
  constructor(
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly log: AccessLog,
  ) {}

  async reveal(
    familyId: string,
    memberId: string,
    reason: string,
    user: AuthUser,
    accessPoint: AccessPoint,
  ) {
    const found = await this.lens.family(familyId, user);
    if (!found) throw notFound('No family with this id');
    if (!found.viewer.has('casusregisseur', 'auditor')) {
      throw forbidden('Only the casusregisseur, or an auditor with a legal basis, reveals a BSN');
    }
    const member = found.record.members.find((m) => m.memberId === memberId);
    if (!member) throw notFound('No member with this id in this family');
    const personal = await this.vault.open<{ bsn?: string }>(member.personal);
    if (isErased(personal) || !personal.bsn) throw notFound('No BSN is held for this member');
    await this.log.record({
      action: 'reveal',
      resource: 'bsn',
      familyId,
      memberIds: [memberId],
      user,
      accessPoint,
      purpose: reason,
      rule: found.viewer.rule,
    });
    return { bsn: personal.bsn };
  }
}
