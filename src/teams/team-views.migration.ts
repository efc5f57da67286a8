import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read model of the teams projection: a team's name and neighbourhood (no personal data). */
export class TeamViews1732000008000 implements MigrationInterface {
  name = 'TeamViews1732000008000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE team_views (
        team_id        uuid PRIMARY KEY,
        name           text NOT NULL,
        wijk           text NOT NULL,
        stadsdeel      text NOT NULL,
        created_at     timestamptz NOT NULL,
        stream_version bigint NOT NULL
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE team_views');
  }
}
