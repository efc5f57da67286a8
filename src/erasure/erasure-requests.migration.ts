import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read model of erasure requests for the privacy officer; reasons stay sealed (family's key). */
export class ErasureRequests1732000007000 implements MigrationInterface {
  name = 'ErasureRequests1732000007000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE erasure_requests (
        request_id      uuid PRIMARY KEY,
        family_id       uuid NOT NULL,
        member_id       uuid NOT NULL,
        status          text NOT NULL,
        reason          text NOT NULL,
        requested_by    text NOT NULL,
        requested_at    timestamptz NOT NULL,
        decided_by      text,
        decided_at      timestamptz,
        decision_reason text,
        stream_version  integer NOT NULL
      );
      CREATE INDEX erasure_requests_status ON erasure_requests (status, requested_at);
      CREATE INDEX erasure_requests_family ON erasure_requests (family_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE erasure_requests');
  }
}
