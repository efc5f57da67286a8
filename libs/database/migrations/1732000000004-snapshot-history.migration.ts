import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every aggregate snapshot, kept with the moment it was taken: time travel starts from the
 * latest one before the moment asked for and replays only the events after it.
 */
export class SnapshotHistory1732000000004 implements MigrationInterface {
  name = 'SnapshotHistory1732000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE aggregate_snapshot_history (
        stream_id        text NOT NULL,
        stream_version   bigint NOT NULL,
        snapshot_version integer NOT NULL,
        taken_at         timestamptz NOT NULL,
        state            jsonb NOT NULL,
        PRIMARY KEY (stream_id, stream_version)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE aggregate_snapshot_history');
  }
}
