import type { MigrationInterface, QueryRunner } from 'typeorm';
import { startAtSourcesCheckpoint } from '#libs/projections/seed-checkpoint.js';

/**
 * The families' own copy of who holds which level of each escalation
 * (family-escalation-holders.projection.ts), indexed for invariant 3's one question: does this
 * professional hold level 1 or 2 of an open escalation of this family. An upgraded database
 * gets the rows at once, from escalation_views as the escalations projection left them (read
 * here once, never by the families' code), and the projection goes on from its checkpoint.
 */
export class FamilyEscalationHolders1732000020001 implements MigrationInterface {
  name = 'FamilyEscalationHolders1732000020001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE family_escalation_holders (
        escalation_id  uuid PRIMARY KEY,
        family_id      uuid NOT NULL,
        level          integer NOT NULL,
        status         text NOT NULL,
        holder_id      text
      );
      CREATE INDEX family_escalation_holders_independent ON family_escalation_holders
        (family_id, holder_id) WHERE status = 'open' AND level >= 1;
    `);
    await startAtSourcesCheckpoint(runner, 'family-escalation-holders', ['escalations']);
    await runner.query(`
      INSERT INTO family_escalation_holders (escalation_id, family_id, level, status, holder_id)
      SELECT escalation_id, family_id, level, status, holder_id FROM escalation_views
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE family_escalation_holders');
    await runner.query(
      `DELETE FROM projection_checkpoints WHERE name = 'family-escalation-holders'`,
    );
  }
}
