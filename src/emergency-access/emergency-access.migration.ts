import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emergency access (break the glass): the grants, and the keyed blind index through which a
 * professional finds a family by BSN or address without any plaintext column (concerns.md,
 * "Matching"). A row of the index names the subject whose key its value was sealed with, so
 * an erasure takes the row with the key.
 */
export class EmergencyAccess1732000013000 implements MigrationInterface {
  name = 'EmergencyAccess1732000013000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE emergency_accesses (
        access_id     uuid PRIMARY KEY,
        user_id       text NOT NULL,
        user_name     text NOT NULL,
        organisation  text NOT NULL,
        subject_kind  text NOT NULL,
        reason        text NOT NULL,
        family_ids    uuid[] NOT NULL,
        granted_at    timestamptz NOT NULL,
        until         timestamptz NOT NULL,
        review        jsonb
      );
      CREATE INDEX emergency_accesses_user ON emergency_accesses (user_id, until);
      CREATE INDEX emergency_accesses_queue ON emergency_accesses (granted_at, access_id);

      CREATE TABLE emergency_subject_index (
        digest      text NOT NULL,
        family_id   uuid NOT NULL,
        subject_id  uuid NOT NULL,
        PRIMARY KEY (digest, family_id, subject_id)
      );
      CREATE INDEX emergency_subject_index_subject ON emergency_subject_index (subject_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE emergency_subject_index, emergency_accesses');
  }
}
