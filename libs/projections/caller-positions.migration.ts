import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last position each caller wrote (read-your-writes without a header): one row per user,
 * shared by every server instance, so a read that lands on another instance than the write
 * still waits for it.
 */
export class CallerPositions1732000011000 implements MigrationInterface {
  name = 'CallerPositions1732000011000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE caller_positions (
        user_id      text PRIMARY KEY,
        commit_pos   bigint NOT NULL,
        prepare_pos  bigint NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE caller_positions');
  }
}
