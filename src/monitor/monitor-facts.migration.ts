import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The policy monitor's own tables (monitor-facts.projection.ts). monitor_counts and
 * monitor_agreement_days hold the figures, per calendar month (UTC) of the plan's opening or
 * the escalation's raising and per team: a read of a year is a range of their primary keys,
 * whose size grows with teams and months, not with families. Teams are resolved to their wijk
 * and stadsdeel at read time, so a team's wijk becoming known moves one row, not its cases.
 * The other tables hold just what the figures are counted from, per family's current (or
 * last) plan, its goals, and per escalation. Nothing personal: ids, dates, statuses, levels.
 */
export class MonitorFacts1732000019000 implements MigrationInterface {
  name = 'MonitorFacts1732000019000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE monitor_teams (
        team_id   uuid PRIMARY KEY,
        wijk      text NOT NULL,
        stadsdeel text NOT NULL
      );
      CREATE TABLE monitor_families (
        family_id uuid PRIMARY KEY,
        team_id   uuid NOT NULL
      );
      CREATE TABLE monitor_plans (
        family_id       uuid PRIMARY KEY,
        plan_id         uuid NOT NULL,
        opened_at       timestamptz,
        status          text NOT NULL,
        first_agreed_at timestamptz,
        goals_achieved  integer NOT NULL,
        goals_assessed  integer NOT NULL
      );
      -- One element per goal of the plan with this id (a plan document would hold each).
      CREATE TABLE monitor_goals (
        family_id  uuid NOT NULL,
        goal_id    text NOT NULL,
        lifecycles text[] NOT NULL,
        PRIMARY KEY (family_id, goal_id)
      );
      CREATE TABLE monitor_escalations (
        escalation_id uuid PRIMARY KEY,
        team_id       uuid NOT NULL,
        raised_at     timestamptz,
        level         integer NOT NULL,
        open          boolean NOT NULL
      );
      CREATE TABLE monitor_counts (
        year    integer NOT NULL,
        month   smallint NOT NULL,
        team_id uuid NOT NULL,
        figure  text NOT NULL,
        count   integer NOT NULL,
        PRIMARY KEY (year, month, team_id, figure)
      );
      -- Plans agreed per number of days from opening to first agreement: the median's base.
      CREATE TABLE monitor_agreement_days (
        year    integer NOT NULL,
        month   smallint NOT NULL,
        team_id uuid NOT NULL,
        days    integer NOT NULL,
        plans   integer NOT NULL,
        PRIMARY KEY (year, month, team_id, days)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE monitor_agreement_days, monitor_counts, monitor_escalations,
      monitor_goals, monitor_plans, monitor_families, monitor_teams`);
  }
}
