import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read model of the team-dashboard projection: the dashboard's figures kept per team, and the
 * few facts per case, action, member and escalation needed to keep them as events arrive and
 * days pass. No plaintext personal data: a member's date of birth stays sealed (`personal`, as
 * in the event); what is kept is their current age band and a keyed blind index of the day it
 * changes next, which nobody without the master key can turn back into a date.
 */
export class TeamDashboardViews1732000014000 implements MigrationInterface {
  name = 'TeamDashboardViews1732000014000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE team_dashboard_clock (
        id    smallint PRIMARY KEY CHECK (id = 1),
        today date NOT NULL
      );
      CREATE TABLE team_dashboard_teams (
        team_id   uuid PRIMARY KEY,
        name      text,
        wijk      text,
        stadsdeel text
      );
      CREATE TABLE team_dashboard_counts (
        team_id uuid NOT NULL,
        figure  text NOT NULL,
        count   integer NOT NULL,
        PRIMARY KEY (team_id, figure)
      );
      CREATE TABLE team_dashboard_caseloads (
        team_id         uuid NOT NULL,
        professional_id text NOT NULL,
        name            text NOT NULL,
        cases           integer NOT NULL,
        PRIMARY KEY (team_id, professional_id)
      );
      CREATE TABLE team_dashboard_cases (
        family_id          uuid PRIMARY KEY,
        team_id            uuid NOT NULL,
        plan_id            text,
        plan_status        text,
        first_agreed_at    text,
        last_evaluation_at text,
        next_evaluation    date
      );
      CREATE INDEX team_dashboard_cases_evaluation ON team_dashboard_cases (next_evaluation)
        WHERE plan_status IN ('draft', 'agreed');
      CREATE TABLE team_dashboard_actions (
        action_id text PRIMARY KEY,
        family_id uuid NOT NULL,
        plan_id   text NOT NULL,
        due_date  date NOT NULL,
        open      boolean NOT NULL
      );
      CREATE INDEX team_dashboard_actions_family ON team_dashboard_actions (family_id);
      CREATE INDEX team_dashboard_actions_due ON team_dashboard_actions (due_date) WHERE open;
      CREATE TABLE team_dashboard_members (
        member_id  text PRIMARY KEY,
        family_id  uuid NOT NULL,
        current    boolean NOT NULL,
        personal   text NOT NULL,
        band       text NOT NULL,
        changes_on text
      );
      CREATE INDEX team_dashboard_members_family ON team_dashboard_members (family_id);
      CREATE INDEX team_dashboard_members_change ON team_dashboard_members (changes_on)
        WHERE changes_on IS NOT NULL;
      CREATE TABLE team_dashboard_case_team (
        family_id       uuid NOT NULL,
        professional_id text NOT NULL,
        name            text NOT NULL,
        PRIMARY KEY (family_id, professional_id)
      );
      CREATE INDEX team_dashboard_case_team_professional
        ON team_dashboard_case_team (professional_id);
      CREATE TABLE team_dashboard_escalations (
        escalation_id text PRIMARY KEY,
        team_id       uuid NOT NULL,
        level         integer NOT NULL,
        open          boolean NOT NULL
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE team_dashboard_clock, team_dashboard_teams,
      team_dashboard_counts, team_dashboard_caseloads, team_dashboard_cases,
      team_dashboard_actions, team_dashboard_members, team_dashboard_case_team,
      team_dashboard_escalations`);
  }
}
