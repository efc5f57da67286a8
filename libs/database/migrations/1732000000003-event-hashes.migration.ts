import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  EVENT_HASHES_SCHEMA_DOWN,
  EVENT_HASHES_SCHEMA_UP,
} from '../../event-store/postgres/event-hashes.schema.js';

/**
 * Tamper evidence: a hash chain per stream (hash, prev_hash on events; last_hash on
 * event_streams), backfilled for the events stored before it, and an append_events that extends
 * the chain. Runs after EventStore1732000000000 and before anything reads hashes.
 */
export class EventHashes1732000000003 implements MigrationInterface {
  name = 'EventHashes1732000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(EVENT_HASHES_SCHEMA_UP);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(EVENT_HASHES_SCHEMA_DOWN);
  }
}
