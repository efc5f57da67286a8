import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The NEN 7513 access log (privacy.md, "Access log"): one row per read, search, export or reveal
 * of personal data. Append-only in the database itself, not just by convention in the code, so
 * neither a bug nor a hand-typed statement can rewrite who saw what: UPDATE, DELETE and TRUNCATE
 * raise. The triggers are ENABLE ALWAYS so that they also fire under session_replication_role =
 * replica. Disputes about an entry are a separate, mutable table: they get resolved.
 */
export class AccessLog1732000005000 implements MigrationInterface {
  name = 'AccessLog1732000005000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE access_log (
        entry_id         uuid PRIMARY KEY,
        seq              bigint GENERATED ALWAYS AS IDENTITY,
        at               timestamptz NOT NULL,
        action           text NOT NULL CHECK (action IN ('read', 'search', 'export', 'reveal')),
        resource         text NOT NULL CHECK (btrim(resource) <> ''),
        family_id        uuid,
        member_ids       uuid[] NOT NULL,
        user_id          text NOT NULL,
        user_name        text NOT NULL,
        organisation     text NOT NULL,
        roles            text[] NOT NULL,
        on_behalf_of     text,
        access_point     jsonb NOT NULL,
        purpose          text NOT NULL CHECK (btrim(purpose) <> ''),
        rule             text NOT NULL CHECK (btrim(rule) <> ''),
        break_the_glass  boolean NOT NULL DEFAULT false,
        correlation_id   text NOT NULL,
        -- Only a search may show no one in particular; any other access names whose data it showed.
        CONSTRAINT access_log_members_named CHECK (action = 'search' OR cardinality(member_ids) > 0)
      );
      CREATE INDEX access_log_family ON access_log (family_id, seq);
      CREATE INDEX access_log_members ON access_log USING gin (member_ids);
      CREATE INDEX access_log_user ON access_log (user_id, seq);

      CREATE FUNCTION access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_log is append-only (NEN 7513): % refused', TG_OP;
      END;
      $$;
      CREATE TRIGGER access_log_no_update_or_delete
        BEFORE UPDATE OR DELETE ON access_log
        FOR EACH ROW EXECUTE FUNCTION access_log_refuse_change();
      CREATE TRIGGER access_log_no_truncate
        BEFORE TRUNCATE ON access_log
        FOR EACH STATEMENT EXECUTE FUNCTION access_log_refuse_change();
      ALTER TABLE access_log ENABLE ALWAYS TRIGGER access_log_no_update_or_delete;
      ALTER TABLE access_log ENABLE ALWAYS TRIGGER access_log_no_truncate;

      CREATE TABLE access_log_disputes (
        dispute_id   uuid PRIMARY KEY,
        entry_id     uuid NOT NULL REFERENCES access_log (entry_id),
        member_id    uuid NOT NULL,
        reason       text NOT NULL CHECK (btrim(reason) <> ''),
        status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
        resolution   text,
        resolved_by  text,
        created_at   timestamptz NOT NULL,
        resolved_at  timestamptz
      );
      CREATE INDEX access_log_disputes_status ON access_log_disputes (status, created_at);
      CREATE INDEX access_log_disputes_entry ON access_log_disputes (entry_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DROP TABLE access_log_disputes, access_log;
      DROP FUNCTION access_log_refuse_change();
    `);
  }
}
