import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { ageOn } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { PrivacyLens, type FamilyRecord } from '../privacy/privacy-lens.js';
import type { Viewer } from '../privacy/viewer.js';
import type { Address } from './address.js';
import { maskBsn } from './bsn.js';

interface MemberPersonal {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  bsn?: string;
}

/**
 * Reads a family for one caller, scoped by what they are to it (privacy.md): the casusregisseur
 * gets the full composition with the BSN masked; professionals on the case names, ages and
 * roles; SLT colleagues, team leads and auditors pseudonyms; anyone else nothing (404). What a
 * viewer may not see is left out of the answer, not blanked. Every read is logged.
 */
@Injectable()
export class FamilyViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async find(familyId: string, user: AuthUser, accessPoint: AccessPoint) {
    const found = await this.lens.family(familyId, user);
    if (!found) return undefined;
    const { viewer, record } = found;
    // The lens decides; what a family view shows beyond the lens's facts is this capability's.
    const rows: Array<Pick<FamilyRecord, 'network' | 'address'>> = await this.dataSource.query(
      'SELECT network, address FROM family_views WHERE family_id = $1',
      [familyId],
    );
    const view = await this.render(viewer, {
      ...record,
      network: rows[0]?.network ?? [],
      address: rows[0]?.address ?? null,
    });
    await this.accessLog.record({
      action: 'read',
      resource: 'family',
      familyId,
      memberIds: record.members.map((m) => m.memberId),
      user,
      accessPoint,
      ...viewer.accessBasis(viewer.has('auditor') ? 'audit' : 'care coordination'),
    });
    return view;
  }

  /** The family as this viewer may see it; also used to render a past state (audit). */
  async render(viewer: Viewer, record: FamilyRecord) {
    const base = {
      familyId: record.familyId,
      teamId: record.teamId,
      planStatus: record.plan?.status ?? null,
    };
    const regie = {
      casusregisseur: record.regie.casusregisseur,
      perspectiefregisseur: record.regie.perspectiefregisseur,
      procesregisseur: record.regie.procesregisseur,
    };
    const composition = viewer.composition;
    // Nothing of the family for a viewer without a relation (callers 404 before this).
    if (composition === 'none') return { familyId: record.familyId };
    if (composition === 'pseudonym') {
      const members = record.members.map((m) => ({
        pseudonym: this.vault.pseudonym(m.memberId),
        role: m.role,
        status: m.status,
      }));
      if (viewer.has('auditor')) return { ...base, members, caseTeam: record.caseTeam, regie };
      if (viewer.has('team_lead')) return { ...base, members };
      return { ...base, members, regie: { casusregisseur: regie.casusregisseur } };
    }
    const full = composition === 'full';
    const today = this.clock.now();
    const members = await Promise.all(
      record.members.map(async (m) => {
        const personal = await this.vault.open<MemberPersonal>(m.personal);
        if (isErased(personal)) {
          return { memberId: m.memberId, role: m.role, status: m.status, erased: true };
        }
        return {
          memberId: m.memberId,
          givenName: personal.givenName,
          familyName: personal.familyName,
          ...(full ? { dateOfBirth: personal.dateOfBirth } : {}),
          age: ageOn(personal.dateOfBirth, today),
          role: m.role,
          status: m.status,
          ...(full && personal.bsn ? { bsn: maskBsn(personal.bsn) } : {}),
          erased: false,
        };
      }),
    );
    const network = await Promise.all(
      record.network.map(async (n) => {
        const personal = await this.vault.open<{ name: string }>(n.personal);
        const erased = isErased(personal);
        return {
          networkId: n.networkId,
          ...(erased ? {} : { name: personal.name }),
          relation: n.relation,
          erased,
        };
      }),
    );
    const address = full && record.address ? await this.vault.open<Address>(record.address) : null;
    return {
      ...base,
      members,
      network,
      ...(address && !isErased(address) ? { address } : {}),
      caseTeam: record.caseTeam,
      regie,
    };
  }
}
