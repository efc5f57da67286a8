import { Inject, Injectable, Optional } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AccessLog, type AccessLogEntry } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { PrivacyLens } from './privacy-lens.js';
import { WithheldFromMember } from './withheld-from-member.port.js';

const isOfficer = (user: AuthUser) => user.roles.includes('privacy_officer');

/** An entry as a citizen or an overseer reads it: who, from where, what, when and why. */
const shown = (e: AccessLogEntry) => ({
  entryId: e.entryId,
  at: e.at,
  userId: e.userId,
  userName: e.userName,
  organisation: e.organisation,
  action: e.action,
  resource: e.resource,
  memberIds: e.memberIds,
  purpose: e.purpose,
  rule: e.rule,
  onBehalfOf: e.onBehalfOf,
  breakTheGlass: e.breakTheGlass,
});

/**
 * The access log is itself personal data: readable by the member it names, auditors and the
 * privacy officer, and every read of it is logged too (privacy.md, NEN 7513).
 */
@Injectable()
export class AccessLogViews {
  constructor(
    @Inject(AccessLog) private readonly log: AccessLog,
    @Inject(PrivacyLens) private readonly lens: PrivacyLens,
    // Absent where no capability withholds anything (a module graph without citizen-data).
    @Optional() @Inject(WithheldFromMember) private readonly withheld?: WithheldFromMember,
  ) {}

  async family(familyId: string, user: AuthUser, accessPoint: AccessPoint) {
    const found = await this.lens.family(familyId, user);
    const memberIds = await this.lens.memberIds(familyId);
    if (memberIds.length === 0 || (!found && !isOfficer(user))) {
      throw notFound('No family with this id');
    }
    const overseer = isOfficer(user) || found?.viewer.has('auditor');
    const member = found?.viewer.member;
    if (!overseer && !member)
      throw forbidden('Only the members, auditors and the privacy officer read the access log');
    const entries = overseer
      ? await this.log.forFamily(familyId)
      : (await this.forMember(member!.memberId)).filter((e) => e.familyId === familyId);
    await this.log.record({
      action: 'read',
      resource: 'access-log',
      familyId,
      memberIds: member ? [member.memberId] : memberIds,
      user,
      accessPoint,
      purpose: overseer ? 'oversight of access (NEN 7513)' : 'inzage (AVG art. 15)',
      rule: isOfficer(user) ? 'privacy_officer' : found!.viewer.rule,
    });
    return { entries: entries.map(shown) };
  }

  async own(user: AuthUser, accessPoint: AccessPoint) {
    const memberId = this.citizen(user);
    const entries = await this.forMember(memberId);
    await this.log.record({
      action: 'read',
      resource: 'access-log',
      familyId: null,
      memberIds: [memberId],
      user,
      accessPoint,
      purpose: 'inzage (AVG art. 15)',
      rule: 'own data',
    });
    return { entries: entries.map(shown) };
  }

  async dispute(entryId: string, user: AuthUser, reason: string) {
    return this.log.dispute(entryId, this.citizen(user), reason);
  }

  async disputes(user: AuthUser, status?: 'open' | 'upheld' | 'rejected') {
    if (!isOfficer(user)) throw forbidden('Only the privacy officer handles disputes');
    const disputes = await this.log.disputes(status ? { status } : undefined);
    return { disputes: disputes.map((d) => ({ ...d, entry: shown(d.entry) })) };
  }

  async resolve(disputeId: string, user: AuthUser, upheld: boolean, text: string) {
    if (!isOfficer(user)) throw forbidden('Only the privacy officer handles disputes');
    await this.log.resolveDispute(disputeId, { upheld, text, by: user.sub });
    return { disputeId, status: upheld ? 'upheld' : 'rejected' };
  }

  /** The entries naming the member, less those of what is withheld from them. */
  private async forMember(memberId: string): Promise<AccessLogEntry[]> {
    const entries = await this.log.forMember(memberId);
    const withheld = new Set(await this.withheld?.ids(memberId));
    if (withheld.size === 0) return entries;
    return entries.filter((e) => !e.memberIds.some((id) => withheld.has(id)));
  }

  private citizen(user: AuthUser): string {
    // The identity provider's memberId claim is not checked anywhere else: one that is no
    // UUID names no member (and would break the access log's uuid[] column: a 500).
    if (!user.roles.includes('citizen') || !user.memberId || !isUUID(user.memberId)) {
      throw forbidden('This is the view of a citizen on their own data');
    }
    return user.memberId;
  }
}
