import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotency record in progress names what is needed to settle it when the request that made
 * it is dead: the claim (one attempt of one request; settling one attempt must not touch the
 * record of a later one), the instance that runs it (instance-presence.ts), the transaction id
 * of the record's insert (every append of the request commits later, so has a higher one) and
 * the correlation id its events carry.
 */
export class IdempotencyOwner1732000000006 implements MigrationInterface {
  name = 'IdempotencyOwner1732000000006';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE idempotency_records
        ADD COLUMN claim_id       uuid,
        ADD COLUMN instance_id    text,
        ADD COLUMN transaction_id xid8,
        ADD COLUMN correlation_id text;
      CREATE UNIQUE INDEX idempotency_records_claim ON idempotency_records (claim_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DROP INDEX idempotency_records_claim;
      ALTER TABLE idempotency_records
        DROP COLUMN claim_id, DROP COLUMN instance_id, DROP COLUMN transaction_id,
        DROP COLUMN correlation_id
    `);
  }
}
