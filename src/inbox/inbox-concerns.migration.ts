import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's own rows of concerns (inbox-concerns.projection.ts): which family each concern
 * belongs to once intake linked it, with its category and when. Nothing personal is kept.
 */
export class InboxConcerns1732000023500 implements MigrationInterface {
  name = 'InboxConcerns1732000023500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE inbox_concerns (
        concern_id  uuid PRIMARY KEY,
        category    text NOT NULL,
        family_id   uuid,
        linked_at   timestamptz
      );
      CREATE INDEX inbox_concerns_family ON inbox_concerns (family_id, linked_at)
        WHERE family_id IS NOT NULL;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox_concerns');
  }
}
