import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_EVENTS_V3 } from '../../event-store/postgres/append-without-notify.schema.js';
import { APPEND_EVENTS_V4 } from '../../event-store/postgres/append-in-stream-order.schema.js';

/** The global order keeps every stream's versions in order (see the schema). */
export class AppendInStreamOrder1732000000007 implements MigrationInterface {
  name = 'AppendInStreamOrder1732000000007';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(APPEND_EVENTS_V4);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(APPEND_EVENTS_V3);
  }
}
