import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A team's postcode areas (PC4) in team_views; an area belongs to one team at most. */
export class TeamPostcodeAreas1732000021000 implements MigrationInterface {
  name = 'TeamPostcodeAreas1732000021000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE team_views ADD COLUMN postcode_areas text[] NOT NULL DEFAULT '{}'`,
    );
    await runner.query(
      'CREATE INDEX team_views_postcode_areas ON team_views USING gin (postcode_areas)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE team_views DROP COLUMN postcode_areas');
  }
}
