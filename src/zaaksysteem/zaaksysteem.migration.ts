import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The zaaksysteem outbox (zgw.md, "How it is sent"), in two halves with different owners:
 *
 * - kept by the outbox projection, emptied and refilled by a rebuild: `zgw_families` (the
 *   mapping's fold per family, and the members' sealed personal data the belanghebbende rollen
 *   need), `zgw_family_index` (which family a plan or an escalation belongs to) and `zgw_outbox` (the calls,
 *   in order per family, each with a key derived from its event);
 * - kept by the worker, never emptied by a rebuild: `zgw_sent` (what was sent, with the URL the
 *   zaaksysteem gave back), `zgw_delivery` (back-off per family) and `zgw_watermark` (every
 *   call of an event before it was dealt with, so the worker and the backlog look only at the
 *   calls after it, not at the whole history). A call whose key is in `zgw_sent` is never sent
 *   again, however often the outbox is rebuilt.
 *
 * No plaintext personal data: a belanghebbende rol's BSN stays sealed with the member's own key
 * until the moment it is sent, so an erasure makes an unsent one unsendable.
 */
export class Zaaksysteem1732000025000 implements MigrationInterface {
  name = 'Zaaksysteem1732000025000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE zgw_families (
        family_id uuid PRIMARY KEY,
        fold jsonb NOT NULL,
        sealed_members jsonb NOT NULL,
        calls integer NOT NULL
      );
      CREATE TABLE zgw_family_index (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL
      );
      CREATE TABLE zgw_outbox (
        family_id uuid NOT NULL,
        seq integer NOT NULL,
        call_key text NOT NULL UNIQUE,
        zaak text NOT NULL,
        call jsonb NOT NULL,
        sealed_personal text,
        recorded_at timestamptz NOT NULL,
        event_commit bigint NOT NULL,
        PRIMARY KEY (family_id, seq)
      );
      CREATE INDEX zgw_outbox_order ON zgw_outbox (event_commit);
      CREATE TABLE zgw_sent (
        n bigserial PRIMARY KEY,
        call_key text NOT NULL UNIQUE,
        family_id uuid NOT NULL,
        zaak text NOT NULL,
        kind text NOT NULL,
        rol text,
        url text,
        outcome text NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX zgw_sent_family ON zgw_sent (family_id);
      CREATE TABLE zgw_delivery (
        family_id uuid PRIMARY KEY,
        failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        attempting text,
        last_error text
      );
      CREATE TABLE zgw_watermark (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        event_commit bigint NOT NULL
      );
      INSERT INTO zgw_watermark (event_commit) VALUES (-1);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE zgw_watermark, zgw_delivery, zgw_sent, zgw_outbox, zgw_family_index, zgw_families',
    );
  }
}
