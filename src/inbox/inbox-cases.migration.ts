import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox's own tables (inbox-cases.projection.ts). "My cases" is one index range of
 * inbox_case_roles by professional; each case's counts are index lookups by family. Nothing
 * personal is kept: ids, roles, due dates and whether an escalation is open.
 */
export class InboxCases1732000016000 implements MigrationInterface {
  name = 'InboxCases1732000016000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE inbox_cases (
        family_id             uuid PRIMARY KEY,
        registered_at         timestamptz,
        plan_id               uuid,
        plan_open             boolean NOT NULL DEFAULT false,
        casusregisseur        text,
        perspectiefregisseur  text,
        procesregisseur       text
      );

      CREATE TABLE inbox_case_roles (
        professional_id  text NOT NULL,
        family_id        uuid NOT NULL,
        role             text NOT NULL,
        PRIMARY KEY (professional_id, family_id, role)
      );
      CREATE INDEX inbox_case_roles_family ON inbox_case_roles (family_id);

      -- Due dates as the events write them (YYYY-MM-DD), compared as text like the plan view does.
      CREATE TABLE inbox_open_actions (
        family_id  uuid NOT NULL,
        action_id  uuid NOT NULL,
        due_date   text COLLATE "C" NOT NULL,
        PRIMARY KEY (family_id, action_id)
      );
      CREATE INDEX inbox_open_actions_due ON inbox_open_actions (family_id, due_date);

      CREATE TABLE inbox_escalations (
        escalation_id  uuid PRIMARY KEY,
        family_id      uuid NOT NULL,
        open           boolean NOT NULL
      );
      CREATE INDEX inbox_escalations_open ON inbox_escalations (family_id) WHERE open;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DROP TABLE inbox_escalations, inbox_open_actions, inbox_case_roles, inbox_cases',
    );
  }
}
