import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a team lead must decide about a concern (a triage deadline missed, outreach stalled): the
 * concern's team and its open alert in the inbox's own rows. Nothing personal is kept.
 */
export class InboxConcernAlerts1732000024000 implements MigrationInterface {
  name = 'InboxConcernAlerts1732000024000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE inbox_concerns ADD COLUMN team_id uuid, ADD COLUMN alert text,
        ADD COLUMN alert_since timestamptz;
      CREATE INDEX inbox_concerns_alerts ON inbox_concerns (team_id, alert_since)
        WHERE alert IS NOT NULL;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'ALTER TABLE inbox_concerns DROP COLUMN team_id, DROP COLUMN alert, DROP COLUMN alert_since',
    );
  }
}
