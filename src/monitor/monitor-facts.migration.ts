import type { MigrationInterface, QueryRunner } from 'typeorm';
import { startAtSourcesCheckpointIfTogether } from '#libs/projections/seed-checkpoint.js';

/**
 * The policy monitor's own tables (monitor-facts.projection.ts). monitor_counts and
 * monitor_agreement_days hold the figures, per calendar month (UTC) of the plan's opening or
 * the escalation's raising and per team: a read of a year is a range of their primary keys,
 * whose size grows with teams and months, not with families. Teams are resolved to their wijk
 * and stadsdeel at read time, so a team's wijk becoming known moves one row, not its cases.
 * The other tables hold just what the figures are counted from, per family's current (or
 * last) plan, its goals, and per escalation. Nothing personal: ids, dates, statuses, levels.
 *
 * An upgraded database gets the rows at once, as a rebuild would make them, from plan_views,
 * family_views, team_views and escalation_views as their projections left them (read here
 * once, never by the monitor's code), and the projection goes on from their checkpoint. Only
 * when the four stand at one position: a counter must not count an event twice, so otherwise
 * the projection replays the history from the start.
 */
const SOURCES = ['families', 'plans', 'teams', 'escalations'];

/** An instant as the projection takes it from an event (an ISO date and time, else none). */
const instant = (field: string) =>
  `CASE WHEN document->>'${field}' ~ '^\\d{4}-\\d{2}-\\d{2}T'
        THEN (document->>'${field}')::timestamptz END`;
const utc = (column: string, part: string) =>
  `extract(${part} FROM ${column} AT TIME ZONE 'UTC')::int`;

/** What the projection's fold and counters make of the events the sources' rows hold. */
const FILL = `
  INSERT INTO monitor_teams (team_id, wijk, stadsdeel)
  SELECT team_id, wijk, stadsdeel FROM team_views;
  INSERT INTO monitor_families (family_id, team_id) SELECT family_id, team_id FROM family_views;
  INSERT INTO monitor_plans (family_id, plan_id, opened_at, status, first_agreed_at,
                             goals_achieved, goals_assessed)
  SELECT family_id, plan_id, ${instant('openedAt')}, status, ${instant('firstAgreedAt')},
         (SELECT count(*) FROM jsonb_array_elements(document->'goals') g
           WHERE g->>'lifecycleStatus' = 'achieved'),
         (SELECT count(*) FROM jsonb_array_elements(document->'goals') g
           WHERE g->>'lifecycleStatus' IN ('achieved', 'not_achieved', 'active'))
    FROM plan_views;
  INSERT INTO monitor_goals (family_id, goal_id, lifecycles)
  SELECT p.family_id, g.value->>'goalId', array_agg(g.value->>'lifecycleStatus' ORDER BY g.n)
    FROM plan_views p, jsonb_array_elements(p.document->'goals') WITH ORDINALITY AS g(value, n)
   WHERE g.value->>'goalId' IS NOT NULL
   GROUP BY p.family_id, g.value->>'goalId';
  INSERT INTO monitor_escalations (escalation_id, team_id, raised_at, level, open)
  SELECT escalation_id, team_id, raised_at, level, status = 'open' FROM escalation_views;
  INSERT INTO monitor_counts (year, month, team_id, figure, count)
  SELECT year, month, team_id, figure, sum(n)::int FROM (
    SELECT ${utc('p.opened_at', 'year')} AS year, ${utc('p.opened_at', 'month')} AS month,
           f.team_id, x.figure, x.n
      FROM monitor_plans p JOIN monitor_families f ON f.family_id = p.family_id,
           LATERAL (VALUES ('plans', 1),
                           ('activeCases', CASE WHEN p.status = 'closed' THEN 0 ELSE 1 END),
                           ('plansAgreed', CASE WHEN p.first_agreed_at IS NULL THEN 0 ELSE 1 END),
                           ('goalsAchieved', p.goals_achieved),
                           ('goalsAssessed', p.goals_assessed)) AS x(figure, n)
     WHERE p.opened_at IS NOT NULL
    UNION ALL
    SELECT ${utc('raised_at', 'year')}, ${utc('raised_at', 'month')}, team_id,
           'escalations:' || level, 1
      FROM monitor_escalations WHERE open AND raised_at IS NOT NULL) c
   GROUP BY year, month, team_id, figure
  HAVING sum(n) <> 0;
  INSERT INTO monitor_agreement_days (year, month, team_id, days, plans)
  SELECT ${utc('p.opened_at', 'year')}, ${utc('p.opened_at', 'month')}, f.team_id,
         (p.first_agreed_at AT TIME ZONE 'UTC')::date - (p.opened_at AT TIME ZONE 'UTC')::date,
         count(*)
    FROM monitor_plans p JOIN monitor_families f ON f.family_id = p.family_id
   WHERE p.opened_at IS NOT NULL AND p.first_agreed_at IS NOT NULL
   GROUP BY 1, 2, 3, 4`;

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
    if (await startAtSourcesCheckpointIfTogether(runner, 'monitor', SOURCES)) {
      await runner.query(FILL);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE monitor_agreement_days, monitor_counts, monitor_escalations,
      monitor_goals, monitor_plans, monitor_families, monitor_teams`);
    await runner.query(`DELETE FROM projection_checkpoints WHERE name = 'monitor'`);
  }
}
