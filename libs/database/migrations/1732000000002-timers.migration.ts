import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable timers (libs/timers): scheduled_timers is a read model derived from events;
 * timer_runs is the runtime record of claims and firings, one row per timer and due moment.
 */
export class Timers1732000000002 implements MigrationInterface {
  name = 'Timers1732000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE scheduled_timers (
        timer_id  text PRIMARY KEY,
        kind      text NOT NULL,
        due_at    timestamptz NOT NULL,
        payload   jsonb NOT NULL
      );
      CREATE INDEX scheduled_timers_due ON scheduled_timers (due_at);
      CREATE TABLE timer_runs (
        timer_id     text NOT NULL,
        due_at       timestamptz NOT NULL,
        lease_owner  uuid NOT NULL,
        lease_until  timestamptz,
        attempts     integer NOT NULL,
        fired_at     timestamptz,
        last_error   text,
        PRIMARY KEY (timer_id, due_at)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE timer_runs, scheduled_timers');
  }
}
