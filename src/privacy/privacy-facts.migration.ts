import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The privacy lens's own tables (privacy-facts.projection.ts), shaped for its one query per
 * read: a family's facts by id, its open escalations' holders by family, and the caller's
 * emergency grant for that family. Personal data stays sealed as the events carry it.
 */
export class PrivacyFacts1732000015000 implements MigrationInterface {
  name = 'PrivacyFacts1732000015000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE privacy_family_facts (
        family_id    uuid PRIMARY KEY,
        team_id      uuid,
        members      jsonb NOT NULL,
        case_team    jsonb NOT NULL,
        consents     jsonb NOT NULL,
        plan_id      uuid,
        plan_status  text,
        regie        jsonb
      );
      -- A citizen's own data is found by their member id.
      CREATE INDEX privacy_family_facts_members ON privacy_family_facts
        USING gin (members jsonb_path_ops);

      CREATE TABLE privacy_escalations (
        escalation_id  uuid PRIMARY KEY,
        family_id      uuid NOT NULL,
        level          integer NOT NULL,
        status         text NOT NULL,
        holder_id      text
      );
      CREATE INDEX privacy_escalations_holders ON privacy_escalations (family_id)
        WHERE status = 'open' AND level >= 1 AND holder_id IS NOT NULL;

      CREATE TABLE privacy_emergency_grants (
        access_id   uuid NOT NULL,
        family_id   uuid NOT NULL,
        user_id     text NOT NULL,
        reason      text NOT NULL,
        granted_at  timestamptz NOT NULL,
        until       timestamptz NOT NULL,
        PRIMARY KEY (access_id, family_id)
      );
      CREATE INDEX privacy_emergency_grants_caller ON privacy_emergency_grants
        (user_id, family_id, granted_at DESC);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE privacy_emergency_grants, privacy_escalations, privacy_family_facts',
    );
  }
}
