import type { MigrationInterface, QueryRunner } from 'typeorm';
import { startAtSourcesCheckpoint } from '#libs/projections/seed-checkpoint.js';

/**
 * The escalations' own copy of who a family's professionals are (escalation-families.projection
 * .ts). An upgraded database gets the rows at once, from family_views as the families
 * projection left them (read here once, never by the escalations' code), and the projection
 * goes on from that projection's checkpoint.
 */
export class EscalationFamilies1732000020000 implements MigrationInterface {
  name = 'EscalationFamilies1732000020000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE escalation_families (
        family_id  uuid PRIMARY KEY,
        team_id    uuid NOT NULL
      );
      CREATE TABLE escalation_case_teams (
        family_id        uuid NOT NULL,
        professional_id  text NOT NULL,
        PRIMARY KEY (family_id, professional_id)
      );
    `);
    await startAtSourcesCheckpoint(runner, 'escalation-families', ['families']);
    await runner.query(`
      INSERT INTO escalation_families (family_id, team_id)
      SELECT family_id, team_id FROM family_views;
      INSERT INTO escalation_case_teams (family_id, professional_id)
      SELECT DISTINCT family_id, p->>'professionalId'
        FROM family_views, jsonb_array_elements(case_team) p
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE escalation_case_teams, escalation_families');
    await runner.query(`DELETE FROM projection_checkpoints WHERE name = 'escalation-families'`);
  }
}
