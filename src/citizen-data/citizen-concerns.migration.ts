import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * citizen-data's own read model of concerns (citizen-concerns.projection.ts). No plaintext:
 * the folded concern keeps its texts sealed with the concern's key. New with the concerns
 * themselves, so the projection builds it from the first event.
 */
export class CitizenConcerns1732000023100 implements MigrationInterface {
  name = 'CitizenConcerns1732000023100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE citizen_concerns (
        concern_id uuid PRIMARY KEY,
        member_id  uuid,
        document   jsonb NOT NULL
      );
      CREATE INDEX citizen_concerns_member ON citizen_concerns (member_id)
        WHERE member_id IS NOT NULL;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE citizen_concerns');
    await runner.query(`DELETE FROM projection_checkpoints WHERE name = 'citizen-concerns'`);
  }
}
