import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of the plan projection; free texts stay sealed with the family's key. */
export class PlanViews1732000002000 implements MigrationInterface {
  name = 'PlanViews1732000002000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE plan_views (
        family_id      uuid PRIMARY KEY,
        plan_id        uuid NOT NULL,
        status         text NOT NULL,
        document       jsonb NOT NULL,
        stream_version bigint NOT NULL
      );
      CREATE TABLE plan_versions (
        plan_id    uuid NOT NULL,
        version    integer NOT NULL,
        family_id  uuid NOT NULL,
        status     text NOT NULL,
        agreed_at  timestamptz,
        document   jsonb NOT NULL,
        PRIMARY KEY (plan_id, version)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE plan_versions, plan_views');
  }
}
