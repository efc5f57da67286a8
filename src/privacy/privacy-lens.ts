import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { CaseTeamProfessional } from '../kernel/professionals.js';
import { NO_REGIE, type Regie } from '../kernel/regie.js';
import type { PlanFactsState } from './privacy-facts.fold.js';
import { Viewer, type ConsentGrant, type FamilyFacts } from './viewer.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';

/**
 * What the lens needs of the family's plan. A read loads only these, not the whole plan
 * document with its goals and notes (it grows with every note, and a plan view reads it anyway).
 */
/** Regie may be absent in a plan read from an old snapshot (plan.model.ts `regieOf`). */
export type PlanFacts = Pick<PlanFactsState, 'status'> & Partial<Pick<PlanFactsState, 'regie'>>;

/** A family as its views render it: the lens's facts with the network and address beside them. */
export interface FamilyRecord<P extends PlanFacts = PlanFacts> {
  readonly familyId: string;
  readonly teamId: string;
  readonly members: Array<{
    memberId: string;
    role: 'parent' | 'child' | 'other';
    status: 'current' | 'departed';
    personal: string;
  }>;
  readonly network: Array<{ networkId: string; relation: string; personal: string }>;
  /** Sealed (families/address.ts); null while unknown. */
  readonly address: string | null;
  readonly caseTeam: CaseTeamProfessional[];
  readonly plan: P | null;
  readonly regie: Regie;
}

/**
 * What the lens loads of a family: the record without its network and address, which are the
 * family view's to read (src/families), not facts any privacy rule needs.
 */
export type LensRecord = Omit<FamilyRecord, 'network' | 'address'>;

interface Row {
  family_id: string;
  team_id: string;
  members: FamilyRecord['members'];
  case_team: CaseTeamProfessional[];
  consents: ConsentGrant[];
  plan: PlanFacts | null;
  plan_status: string | null;
  holders: Array<{ professionalId: string; level: number }> | null;
  emergency: { accessId: string; reason: string } | null;
}

/**
 * The lens's one query, on its own tables only (privacy-facts.projection.ts): the family's
 * facts, the holders of its open escalations at level 1 or 2, and the caller's latest emergency
 * grant covering it that has not run out ($1 family ids, $2 caller, $3 now).
 */
export const LENS_SQL = `SELECT f.family_id, f.team_id, f.members, f.case_team, f.consents,
       CASE WHEN f.plan_status IS NOT NULL
            THEN jsonb_build_object('status', f.plan_status, 'regie', f.regie)
       END AS plan,
       f.plan_status,
       (SELECT jsonb_agg(jsonb_build_object('professionalId', e.holder_id, 'level', e.level)
                         ORDER BY e.escalation_id)
          FROM privacy_escalations e
         WHERE e.family_id = f.family_id AND e.status = 'open' AND e.level >= 1
           AND e.holder_id IS NOT NULL) AS holders,
       (SELECT jsonb_build_object('accessId', a.access_id, 'reason', a.reason)
          FROM privacy_emergency_grants a
         WHERE a.user_id = $2 AND a.family_id = f.family_id AND a.until > $3
         ORDER BY a.granted_at DESC, a.access_id DESC LIMIT 1) AS emergency
  FROM privacy_family_facts f
 WHERE f.family_id = ANY($1::uuid[]) AND f.team_id IS NOT NULL`;

/**
 * Every read of a family or what hangs off it starts here: the family's facts are loaded in
 * one query and turned into a Viewer that decides what this caller may see. A view that does
 * not ask the lens has no family to show.
 */
@Injectable()
export class PrivacyLens {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller's view of one family, or undefined when they may not know of it (404). */
  async family(familyId: string, user: AuthUser) {
    const [found] = await this.families([familyId], user);
    return found;
  }

  /** The family a citizen is a member of, as the lens shows it to them; undefined if none. */
  async familyOfMember(memberId: string, user: AuthUser) {
    const rows: Array<{ family_id: string }> = await this.dataSource.query(
      `SELECT family_id FROM privacy_family_facts
        WHERE members @> jsonb_build_array(jsonb_build_object('memberId', $1::text))`,
      [memberId],
    );
    return rows[0] && this.family(rows[0].family_id, user);
  }

  /**
   * Every member of a family, for the access log: a read is logged against the clients whose
   * dossier it touched, also when the reader knows the dossier only through an escalation.
   */
  async memberIds(familyId: string): Promise<string[]> {
    const rows: Array<{ ids: string[] | null }> = await this.dataSource.query(
      `SELECT array(SELECT m->>'memberId' FROM jsonb_array_elements(members) m) AS ids
         FROM privacy_family_facts WHERE family_id = $1 AND team_id IS NOT NULL`,
      [familyId],
    );
    return rows[0]?.ids ?? [];
  }

  /** The same for several families at once (lists). */
  async families(familyIds: readonly string[], user: AuthUser) {
    if (familyIds.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(LENS_SQL, [
      familyIds,
      user.sub,
      this.clock.now(),
    ]);
    const found = await Promise.all(
      rows.map(async (row) => {
        const record = this.record(row);
        const emergency = row.emergency && {
          accessId: row.emergency.accessId,
          reason: (await this.vault.openText(row.emergency.reason)) ?? '[reason erased]',
        };
        const viewer = await this.viewerOf(
          record,
          row.consents,
          row.holders ?? [],
          user,
          emergency ?? undefined,
        );
        return viewer.knowsFamily ? { viewer, record } : undefined;
      }),
    );
    return found.filter((f): f is { viewer: Viewer; record: LensRecord } => f !== undefined);
  }

  private record(row: Row): LensRecord {
    const active = row.plan && row.plan_status !== 'closed' ? row.plan : null;
    return {
      familyId: row.family_id,
      teamId: row.team_id,
      members: row.members,
      caseTeam: row.case_team,
      plan: row.plan,
      regie: active?.regie ?? NO_REGIE,
    };
  }

  /**
   * The viewer of a family record, wherever the record comes from: the read models now, or a
   * replay of the events up to a past moment (time travel uses the same rules).
   */
  async viewerOf(
    record: LensRecord,
    consents: readonly ConsentGrant[],
    holders: FamilyFacts['escalationHolders'],
    user: AuthUser,
    emergencyAccess?: FamilyFacts['emergencyAccess'],
  ): Promise<Viewer> {
    const members = await Promise.all(
      record.members.map(async (m) => ({
        ...m,
        dateOfBirth: await dateOfBirthOf(this.vault, m.personal),
      })),
    );
    const facts: FamilyFacts = {
      teamId: record.teamId,
      members,
      caseTeam: record.caseTeam as FamilyFacts['caseTeam'],
      regie: record.regie,
      escalationHolders: holders,
      consents,
      ...(emergencyAccess ? { emergencyAccess } : {}),
    };
    return new Viewer(user, facts, this.clock.now());
  }
}
