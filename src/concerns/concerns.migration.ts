import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the concerns projections. No plaintext personal data: sealed texts stay in
 * `document`, and people are found through blind-index digests only.
 */
export class Concerns1732000022000 implements MigrationInterface {
  name = 'Concerns1732000022000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE concern_team_areas (
        postcode_area text PRIMARY KEY,
        team_id       uuid NOT NULL
      );
      CREATE TABLE concern_views (
        concern_id            uuid PRIMARY KEY,
        team_id               uuid NOT NULL,
        reporter_id           text NOT NULL,
        reporter_organisation text NOT NULL,
        category              text NOT NULL,
        urgency               text NOT NULL,
        status                text NOT NULL,
        received_at           timestamptz NOT NULL,
        triage_due_at         timestamptz NOT NULL,
        family_id             uuid,
        closed_at             timestamptz,
        document              jsonb NOT NULL,
        history               jsonb NOT NULL,
        stream_version        bigint NOT NULL
      );
      CREATE INDEX concern_views_team ON concern_views (team_id, received_at);
      CREATE INDEX concern_views_reporter ON concern_views (reporter_id, received_at);
      CREATE INDEX concern_views_family ON concern_views (family_id) WHERE family_id IS NOT NULL;
      CREATE TABLE concern_subject_digests (
        concern_id uuid NOT NULL,
        kind       text NOT NULL,
        digest     text NOT NULL,
        PRIMARY KEY (concern_id, kind, digest)
      );
      CREATE INDEX concern_subject_digests_digest ON concern_subject_digests (digest);
      CREATE TABLE concern_family_digests (
        family_id  uuid NOT NULL,
        subject_id uuid NOT NULL,
        kind       text NOT NULL,
        digest     text NOT NULL,
        PRIMARY KEY (subject_id, kind, digest)
      );
      CREATE INDEX concern_family_digests_digest ON concern_family_digests (digest);
      CREATE TABLE concern_family_regie (
        family_id       uuid PRIMARY KEY,
        professional_id text NOT NULL,
        name            text NOT NULL,
        organisation    text NOT NULL
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE concern_family_regie, concern_family_digests,
      concern_subject_digests, concern_views, concern_team_areas`);
  }
}
