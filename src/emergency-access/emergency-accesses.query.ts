import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { ReviewStatus } from './dto/emergency-access.dto.js';
import type { EmergencyAccessReviewed } from './emergency-access.events.js';
import { isPrivacyOfficer } from './review-emergency-access.command.js';

interface Row {
  access_id: string;
  user_id: string;
  user_name: string;
  organisation: string;
  subject_kind: string;
  reason: string;
  family_ids: string[];
  granted_at: Date;
  until: Date;
  review: Omit<EmergencyAccessReviewed['data'], 'accessId'> | null;
  reads: number;
}

const LIMIT = 500;

/** The privacy officer's queue of emergency accesses, oldest first, with how much was read. */
@Injectable()
export class EmergencyAccessesQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
  ) {}

  async list(user: AuthUser, status: ReviewStatus | undefined, accessPoint: AccessPoint) {
    if (!isPrivacyOfficer(user)) throw forbidden('The privacy officer reviews emergency access');
    // Reads are counted by the rule the privacy lens logged them under (emergency-rule.ts).
    const rows: Row[] = await this.dataSource.query(
      `SELECT a.*,
              (SELECT count(*)::int FROM access_log l
                WHERE l.user_id = a.user_id AND l.action = 'read'
                  AND l.rule = 'emergency:' || a.access_id::text) AS reads
         FROM emergency_accesses a
        WHERE $1::text IS NULL OR (a.review IS NULL) = ($1 = 'unreviewed')
        ORDER BY a.granted_at, a.access_id LIMIT $2`,
      [status ?? null, LIMIT],
    );
    await this.accessLog.record({
      action: 'search',
      resource: 'emergency-accesses',
      familyId: null,
      memberIds: [],
      user,
      accessPoint,
      purpose: 'oversight of emergency access (NEN 7513)',
      rule: 'privacy_officer',
    });
    return {
      items: await Promise.all(
        rows.map(async (r) => ({
          accessId: r.access_id,
          userId: r.user_id,
          name: r.user_name,
          organisation: r.organisation,
          subjectKind: r.subject_kind,
          reason: await this.vault.openText(r.reason),
          at: new Date(r.granted_at).toISOString(),
          until: new Date(r.until).toISOString(),
          familyIds: r.family_ids,
          reads: r.reads,
          review: r.review && {
            justified: r.review.justified,
            note: await this.vault.openText(r.review.note),
            reviewedBy: r.review.reviewedBy,
            reviewedAt: r.review.reviewedAt,
          },
        })),
      ),
    };
  }
}
