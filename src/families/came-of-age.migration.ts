import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model of the came-of-age projection: the minors still to turn 18, each with a keyed blind
 * index of that birthday (no date), and the last day swept. It replaces a timer per minor due on
 * the 18th birthday: that timer's due moment was the birthday in plaintext, in scheduled_timers
 * and in timer_runs, and it outlived an erasure. Those timers and their runs are deleted here
 * (the rule that scheduled them is gone, so no rebuild brings them back).
 */
export class CameOfAge1732000017000 implements MigrationInterface {
  name = 'CameOfAge1732000017000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE came_of_age_minors (
        member_id text PRIMARY KEY,
        family_id uuid NOT NULL,
        turns_18  text NOT NULL,
        due       boolean NOT NULL
      );
      CREATE INDEX came_of_age_minors_turns_18 ON came_of_age_minors (turns_18);
      CREATE INDEX came_of_age_minors_family ON came_of_age_minors (family_id);
      CREATE INDEX came_of_age_minors_due ON came_of_age_minors (member_id) WHERE due;
      CREATE TABLE came_of_age_clock (
        id       smallint PRIMARY KEY CHECK (id = 1),
        last_day date NOT NULL
      );
      DELETE FROM scheduled_timers WHERE timer_id LIKE 'came-of-age:%';
      DELETE FROM timer_runs WHERE timer_id LIKE 'came-of-age:%';
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    // The deleted timers come back with a rebuild of the timers projection by the old code.
    await runner.query('DROP TABLE came_of_age_minors, came_of_age_clock');
  }
}
