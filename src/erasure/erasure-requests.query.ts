import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessLog } from '#libs/access-log/access-log.js';
import type { AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { ErasureStatus } from './erasure-request.evolve.js';
import { PRIVACY_OFFICER } from './erasure.service.js';

const LIST_LIMIT = 500;

interface Row {
  request_id: string;
  family_id: string;
  member_id: string;
  status: ErasureStatus;
  reason: string;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

export interface ErasureRequestView {
  requestId: string;
  familyId: string;
  memberId: string;
  status: ErasureStatus;
  requestedAt: string;
  requestedBy: string;
  /** null once the family's key is destroyed (retention). */
  reason: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

/** The privacy officer's work list. Reading the reasons is an access to personal data: logged. */
@Injectable()
export class ErasureRequestsQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(AccessLog) private readonly accessLog: AccessLog,
  ) {}

  async list(
    user: AuthUser,
    filters: { status?: ErasureStatus },
    accessPoint: AccessPoint,
  ): Promise<ErasureRequestView[]> {
    if (!user.roles.includes(PRIVACY_OFFICER)) {
      throw forbidden('Only the privacy officer handles erasure requests');
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT request_id, family_id, member_id, status, reason, requested_by, requested_at,
              decided_by, decided_at, decision_reason
         FROM erasure_requests
        WHERE ($2::text IS NULL OR status = $2)
        ORDER BY requested_at, request_id LIMIT $1`,
      [LIST_LIMIT, filters.status ?? null],
    );
    const views = await Promise.all(rows.map((row) => this.toView(row)));
    const byFamily = new Map<string, Set<string>>();
    for (const row of rows) {
      byFamily.set(row.family_id, (byFamily.get(row.family_id) ?? new Set()).add(row.member_id));
    }
    await this.accessLog.recordMany(
      [...byFamily].map(([familyId, memberIds]) => ({
        action: 'read' as const,
        resource: 'erasure-request',
        familyId,
        memberIds: [...memberIds],
        user,
        accessPoint,
        purpose: 'handling an erasure request (AVG art. 17)',
        rule: PRIVACY_OFFICER,
      })),
    );
    return views;
  }

  private async toView(row: Row): Promise<ErasureRequestView> {
    return {
      requestId: row.request_id,
      familyId: row.family_id,
      memberId: row.member_id,
      status: row.status,
      requestedAt: new Date(row.requested_at).toISOString(),
      requestedBy: row.requested_by,
      reason: await this.vault.openText(row.reason),
      decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
      decidedBy: row.decided_by,
      decisionReason: await this.vault.openText(row.decision_reason),
    };
  }
}
