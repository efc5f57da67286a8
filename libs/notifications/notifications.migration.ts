import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notification outbox (libs/notifications), a read model derived from events. The index
 * serves the feed: one user's recipients, in event order.
 */
export class Notifications1732000004000 implements MigrationInterface {
  name = 'Notifications1732000004000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE notifications (
        notification_id  text PRIMARY KEY,
        event_id         text NOT NULL,
        recipient        text NOT NULL,
        kind             text NOT NULL,
        title            text NOT NULL,
        family_id        text,
        escalation_id    text,
        event_type       text NOT NULL,
        position         text NOT NULL,
        commit_pos       bigint NOT NULL,
        prepare_pos      bigint NOT NULL,
        idx              integer NOT NULL,
        created_at       timestamptz NOT NULL
      );
      CREATE INDEX notifications_feed ON notifications (recipient, commit_pos, prepare_pos, idx);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE notifications');
  }
}
