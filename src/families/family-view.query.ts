import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { ageOn } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { isErased, PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { maskBsn } from './bsn.js';
import { FAMILY_ACCESS_SQL } from './family-access.js';
import type { MemberRole } from './family.events.js';
import type { RegieHolder } from '../plans/plan.model.js';
import type { CaseTeamProfessional } from './family.aggregate.js';

interface FamilyRow {
  family_id: string;
  team_id: string;
  members: Array<{ memberId: string; role: MemberRole; status: string; personal: string }>;
  network: Array<{ networkId: string; relation: string; personal: string }>;
  case_team: CaseTeamProfessional[];
  regie: Partial<Record<RegieField, RegieHolder | null>> | null;
}

type RegieField = 'casusregisseur' | 'perspectiefregisseur' | 'procesregisseur';

interface MemberPersonal {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  bsn?: string;
}

export interface FamilyView {
  familyId: string;
  teamId: string;
  members: Array<{
    memberId: string;
    givenName: string | null;
    familyName: string | null;
    dateOfBirth: string | null;
    age: number | null;
    role: MemberRole;
    status: string;
    bsn: string | null;
    erased: boolean;
  }>;
  network: Array<{ networkId: string; name: string | null; relation: string; erased: boolean }>;
  caseTeam: CaseTeamProfessional[];
  /** Of the active plan; all null without one. */
  regie: Record<RegieField, RegieHolder | null>;
}

/**
 * Reads a family for one caller. Access is decided in the WHERE clause: only a professional on
 * the case team or in the family's SLT team gets a row, so a family the caller may not know of
 * is indistinguishable from one that does not exist (404, never 403).
 */
@Injectable()
export class FamilyViewQuery {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async find(familyId: string, viewer: AuthUser): Promise<FamilyView | undefined> {
    const rows: FamilyRow[] = await this.dataSource.query(
      `SELECT f.family_id, f.team_id, f.members, f.network, f.case_team,
              CASE WHEN p.status <> 'closed' THEN p.document->'regie' END AS regie
         FROM family_views f LEFT JOIN plan_views p ON p.family_id = f.family_id
        WHERE f.family_id = $1 AND ${FAMILY_ACCESS_SQL}`,
      [familyId, viewer.sub, viewer.teams],
    );
    return rows[0] ? this.toView(rows[0]) : undefined;
  }

  private async toView(row: FamilyRow): Promise<FamilyView> {
    const today = this.clock.now();
    const members = await Promise.all(
      row.members.map(async (m) => {
        const personal = await this.vault.open<MemberPersonal>(m.personal);
        const erased = isErased(personal);
        return {
          memberId: m.memberId,
          givenName: erased ? null : personal.givenName,
          familyName: erased ? null : personal.familyName,
          dateOfBirth: erased ? null : personal.dateOfBirth,
          age: erased ? null : ageOn(personal.dateOfBirth, today),
          role: m.role,
          status: m.status,
          bsn: erased || !personal.bsn ? null : maskBsn(personal.bsn),
          erased,
        };
      }),
    );
    const network = await Promise.all(
      row.network.map(async (n) => {
        const personal = await this.vault.open<{ name: string }>(n.personal);
        const erased = isErased(personal);
        return {
          networkId: n.networkId,
          name: erased ? null : personal.name,
          relation: n.relation,
          erased,
        };
      }),
    );
    return {
      familyId: row.family_id,
      teamId: row.team_id,
      members,
      network,
      caseTeam: row.case_team,
      regie: {
        casusregisseur: row.regie?.casusregisseur ?? null,
        perspectiefregisseur: row.regie?.perspectiefregisseur ?? null,
        procesregisseur: row.regie?.procesregisseur ?? null,
      },
    };
  }
}
