import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  APPEND_EVENTS_V2,
  APPEND_EVENTS_V3,
} from '../../event-store/postgres/append-without-notify.schema.js';

/** append_events no longer sends NOTIFY inside the appending transaction (see the schema). */
export class AppendWithoutNotify1732000000005 implements MigrationInterface {
  name = 'AppendWithoutNotify1732000000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(APPEND_EVENTS_V3);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(APPEND_EVENTS_V2);
  }
}
