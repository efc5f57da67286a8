import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';

/**
 * An SLT team (Stevig Lokaal Team) of one wijk. Stream `team-<teamId>`. A team's name and
 * neighbourhood are not personal data. Families name their team by id; a team need not have
 * been created before its families (the demo's teams are fixed ids without this event).
 */
export type TeamCreated = DomainEvent<
  'team.TeamCreated',
  {
    readonly teamId: string;
    readonly name: string;
    readonly wijk: string;
    readonly stadsdeel: string;
    /** The four-digit postcodes (PC4) of the team's wijk: concerns about residents go there. */
    readonly postcodeAreas?: readonly string[];
  }
>;

/** The wijk's postcode areas changed (all of them, as they now are). */
export type PostcodeAreasChanged = DomainEvent<
  'team.PostcodeAreasChanged',
  { readonly teamId: string; readonly postcodeAreas: readonly string[] }
>;

export type TeamEvent = TeamCreated | PostcodeAreasChanged;

export const TEAM_EVENT_TYPES = [
  'team.TeamCreated',
  'team.PostcodeAreasChanged',
] as const satisfies readonly TeamEvent['type'][];
