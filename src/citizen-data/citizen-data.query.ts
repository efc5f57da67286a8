import { Inject, Injectable } from '@nestjs/common';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { ageOn } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { maskBsn } from '../families/bsn.js';
import { PlanViewQuery } from '../plans/plan-view.query.js';
import { PrivacyLens } from '../privacy/privacy-lens.js';
import { CitizenConcerns } from './citizen-concerns.js';

interface Personal {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  bsn?: string;
}

/**
 * A citizen's own data (AVG art. 15): who they are here, their consents, their plan and the
 * concerns partner organisations raised about them (a safety concern once intake allows).
 */
@Injectable()
export class CitizenDataQuery {
  constructor(
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(PlanViewQuery) private readonly plans: PlanViewQuery,
    @Inject(AccessLog) private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CitizenConcerns) private readonly concerns: CitizenConcerns,
  ) {}

  async own(user: AuthUser, accessPoint: AccessPoint) {
    if (!user.roles.includes('citizen') || !user.memberId) {
      throw forbidden('This is the view of a citizen on their own data');
    }
    const found = await this.lens.familyOfMember(user.memberId, user);
    const member = found && found.record.members.find((m) => m.memberId === user.memberId);
    if (!found || !member) throw notFound('No data of yours is held here');
    const personal = await this.vault.open<Personal>(member.personal);
    if (isErased(personal)) throw notFound('Your personal data was erased');
    const consents = found.viewer.family.consents.filter((c) => c.memberId === member.memberId);
    const plan = await this.plans.current(found.record.familyId, user, accessPoint);
    const concerns = await this.concerns.of(member.memberId);
    await this.log.record({
      action: 'read',
      resource: 'me-data',
      familyId: found.record.familyId,
      memberIds: [member.memberId],
      user,
      accessPoint,
      purpose: 'inzage (AVG art. 15)',
      rule: 'own data',
    });
    return {
      memberId: member.memberId,
      familyId: found.record.familyId,
      givenName: personal.givenName,
      familyName: personal.familyName,
      dateOfBirth: personal.dateOfBirth,
      age: ageOn(personal.dateOfBirth, this.clock.now()),
      role: member.role,
      ...(personal.bsn ? { bsn: maskBsn(personal.bsn) } : {}),
      consents,
      plan: plan?.view ?? null,
      concerns,
    };
  }
}
