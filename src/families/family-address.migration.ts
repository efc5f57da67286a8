import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The household's address in family_views, sealed like every other personal field. */
export class FamilyAddress1732000012000 implements MigrationInterface {
  name = 'FamilyAddress1732000012000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE family_views ADD COLUMN address text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE family_views DROP COLUMN address');
  }
}
