import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read model of the family projection. Personal fields stay sealed (see family.events.ts). */
export class FamilyViews1732000001000 implements MigrationInterface {
  name = 'FamilyViews1732000001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE family_views (
        family_id      uuid PRIMARY KEY,
        team_id        uuid NOT NULL,
        municipality   text NOT NULL,
        members        jsonb NOT NULL,
        network        jsonb NOT NULL,
        case_team      jsonb NOT NULL,
        registered_at  timestamptz NOT NULL,
        stream_version bigint NOT NULL
      );
      CREATE INDEX family_views_team ON family_views (team_id);
      CREATE INDEX family_views_case_team ON family_views USING gin (case_team jsonb_path_ops);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE family_views');
  }
}
