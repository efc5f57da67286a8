import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read model of escalations; free texts inside stay sealed with the family's key. */
export class EscalationViews1732000003000 implements MigrationInterface {
  name = 'EscalationViews1732000003000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE escalation_views (
        escalation_id  uuid PRIMARY KEY,
        family_id      uuid NOT NULL,
        team_id        uuid NOT NULL,
        level          integer NOT NULL,
        status         text NOT NULL,
        holder_id      text,
        involved       text[] NOT NULL,
        directive_orgs text[] NOT NULL,
        due_at         timestamptz,
        raised_at      timestamptz NOT NULL,
        document       jsonb NOT NULL,
        history        jsonb NOT NULL
      );
      CREATE INDEX escalation_views_family ON escalation_views (family_id);
      CREATE INDEX escalation_views_holder ON escalation_views (holder_id) WHERE status = 'open';
      CREATE INDEX escalation_views_open ON escalation_views (level, due_at) WHERE status = 'open';
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE escalation_views');
  }
}
