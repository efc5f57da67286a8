import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Concern } from '../concerns/concern.evolve.js';
import { WithheldFromMember } from '../privacy/withheld-from-member.port.js';

/** A concern as its subject reads it in their inzage. */
export interface CitizenConcern {
  concernId: string;
  category: string;
  receivedAt: string;
  status: string;
  reporter: { organisation: string };
  description: string | null;
}

/**
 * A safety concern is withheld from its subject until intake lifts the restriction, so that
 * reading their own data never warns someone who may be the danger (concerns.md "Privacy").
 */
const SHOWN = `(document->>'category' <> 'safety'
   OR coalesce((document->>'safetyRestrictionLifted')::boolean, false))`;

/** The concerns about a member, from citizen-data's own projection (citizen_concerns). */
@Injectable()
export class CitizenConcerns extends WithheldFromMember {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {
    super();
  }

  /** What the member sees, oldest first, the description opened (null once shredded). */
  async of(memberId: string): Promise<CitizenConcern[]> {
    const rows: Array<{ document: Concern }> = await this.dataSource.query(
      `SELECT document FROM citizen_concerns WHERE member_id = $1 AND ${SHOWN}
        ORDER BY document->>'receivedAt', concern_id`,
      [memberId],
    );
    return Promise.all(
      rows.map(async ({ document: c }) => ({
        concernId: c.concernId,
        category: c.category,
        receivedAt: c.receivedAt,
        status: c.status,
        reporter: { organisation: c.reporter.organisation },
        description: await this.vault.openText(c.description),
      })),
    );
  }

  /** The concerns about the member that are withheld: their reads stay out of their access log. */
  async ids(memberId: string): Promise<string[]> {
    const rows: Array<{ concern_id: string }> = await this.dataSource.query(
      `SELECT concern_id FROM citizen_concerns WHERE member_id = $1 AND NOT ${SHOWN}`,
      [memberId],
    );
    return rows.map((r) => r.concern_id);
  }
}
