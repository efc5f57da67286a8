import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monitor's own table of concerns (monitor-concerns.projection.ts): per concern its team,
 * category and outcome, nothing personal. New with the concerns themselves, so the projection
 * builds it from the first event.
 */
export class MonitorConcerns1732000023200 implements MigrationInterface {
  name = 'MonitorConcerns1732000023200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE monitor_concerns (
        concern_id uuid PRIMARY KEY,
        team_id    uuid NOT NULL,
        category   text NOT NULL,
        outcome    text NOT NULL
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE monitor_concerns');
    await runner.query(`DELETE FROM projection_checkpoints WHERE name = 'monitor-concerns'`);
  }
}
