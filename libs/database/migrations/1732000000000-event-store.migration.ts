import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  EVENT_STORE_SCHEMA_DOWN,
  EVENT_STORE_SCHEMA_UP,
} from '../../event-store/postgres/event-store.schema.js';

/** Created even when events live in EventStoreDB: it is small and keeps one migration history. */
export class EventStore1732000000000 implements MigrationInterface {
  name = 'EventStore1732000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(EVENT_STORE_SCHEMA_UP);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(EVENT_STORE_SCHEMA_DOWN);
  }
}
