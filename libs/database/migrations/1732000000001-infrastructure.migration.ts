import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of the shared machinery: projections, idempotency, snapshots, personal-data keys. */
export class Infrastructure1732000000001 implements MigrationInterface {
  name = 'Infrastructure1732000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE projection_checkpoints (
        name          text PRIMARY KEY,
        commit_pos    bigint NOT NULL DEFAULT -1,
        prepare_pos   bigint NOT NULL DEFAULT -1,
        status        text NOT NULL DEFAULT 'running',
        error         text,
        failed_event  jsonb,
        updated_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE parked_events (
        projection     text NOT NULL,
        position       text NOT NULL,
        event_id       uuid NOT NULL,
        event_type     text NOT NULL,
        stream_id      text NOT NULL,
        stream_version bigint NOT NULL,
        error          text NOT NULL,
        parked_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, event_id)
      );
      CREATE TABLE idempotency_records (
        scope         text NOT NULL,
        key           text NOT NULL,
        method        text NOT NULL,
        path          text NOT NULL,
        request_hash  text NOT NULL,
        state         text NOT NULL,
        status_code   integer,
        response      jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz,
        PRIMARY KEY (scope, key)
      );
      CREATE TABLE aggregate_snapshots (
        stream_id        text PRIMARY KEY,
        stream_version   bigint NOT NULL,
        snapshot_version integer NOT NULL,
        state            jsonb NOT NULL,
        taken_at         timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE subject_keys (
        subject_id   text PRIMARY KEY,
        wrapped_key  bytea,
        created_at   timestamptz NOT NULL DEFAULT now(),
        shredded_at  timestamptz
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE subject_keys, aggregate_snapshots, idempotency_records,
      parked_events, projection_checkpoints`);
  }
}
