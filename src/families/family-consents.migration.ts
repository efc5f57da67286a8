import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consents live beside the family's members: every view filters with them at read time. */
export class FamilyConsents1732000006000 implements MigrationInterface {
  name = 'FamilyConsents1732000006000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE family_views ADD COLUMN consents jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE family_views DROP COLUMN consents');
  }
}
