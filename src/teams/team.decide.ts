import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import type { TeamEvent } from './team.events.js';

export interface TeamProfile {
  readonly name: string;
  readonly wijk: string;
  readonly stadsdeel: string;
}

export interface TeamState {
  readonly created: boolean;
  readonly profile?: TeamProfile;
  /** Absent until the team has any. */
  readonly postcodeAreas?: readonly string[];
}

export const INITIAL_TEAM_STATE: TeamState = Object.freeze({ created: false });

/** A four-digit Dutch postcode area (PC4): 1000 to 9999. */
export const POSTCODE_AREA = /^[1-9][0-9]{3}$/;

/** Pure fold of a team's events. */
export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'team.TeamCreated': {
      const { name, wijk, stadsdeel, postcodeAreas } = event.data;
      return {
        created: true,
        profile: { name, wijk, stadsdeel },
        ...(postcodeAreas ? { postcodeAreas } : {}),
      };
    }
    case 'team.PostcodeAreasChanged':
      return { ...state, postcodeAreas: event.data.postcodeAreas };
  }
}

export type TeamCommand =
  | {
      type: 'CreateTeam';
      teamId: string;
      profile: TeamProfile;
      postcodeAreas?: readonly string[];
    }
  | { type: 'ChangePostcodeAreas'; teamId: string; postcodeAreas: readonly string[] };

/** Once per team; surrounding whitespace is not part of a name. */
export function decideTeam(command: TeamCommand, state: TeamState): TeamEvent[] {
  switch (command.type) {
    case 'CreateTeam': {
      if (state.created) throw new DomainConflict(`Team ${command.teamId} already exists`);
      const { name, wijk, stadsdeel } = command.profile;
      const trimmed = { name: name.trim(), wijk: wijk.trim(), stadsdeel: stadsdeel.trim() };
      for (const [field, value] of Object.entries(trimmed)) {
        if (value === '') throw new DomainRuleViolation(`A team needs a ${field}`, field);
      }
      const areas = command.postcodeAreas?.length ? areasOf(command.postcodeAreas) : undefined;
      return [
        {
          type: 'team.TeamCreated',
          data: { teamId: command.teamId, ...trimmed, ...(areas ? { postcodeAreas: areas } : {}) },
        },
      ];
    }
    case 'ChangePostcodeAreas': {
      if (!state.created) throw new DomainNotFound('No team with this id');
      const postcodeAreas = areasOf(command.postcodeAreas);
      if (postcodeAreas.join() === [...(state.postcodeAreas ?? [])].sort().join()) {
        throw new DomainConflict('The team already has exactly these postcode areas');
      }
      return [
        { type: 'team.PostcodeAreasChanged', data: { teamId: command.teamId, postcodeAreas } },
      ];
    }
  }
}

/** One spelling per area, in order, each once. */
function areasOf(areas: readonly string[]): string[] {
  for (const area of areas) {
    if (!POSTCODE_AREA.test(area)) {
      throw new DomainRuleViolation(`"${area}" is not a four-digit postcode area`, 'postcodeAreas');
    }
  }
  return [...new Set(areas)].sort();
}

/**
 * An SLT team: stream `team-<teamId>`. A team's name, neighbourhood and postcode areas are not
 * personal data, so its events are stored as decided; the decision needs nothing besides the state.
 */
export const teamDecider: Decider<TeamState, TeamCommand, TeamEvent, TeamEvent, void> = {
  category: 'team',
  // 2: postcode areas.
  snapshotVersion: 2,
  label: 'team',
  initialState: INITIAL_TEAM_STATE,
  evolve: evolveTeam,
  decide: decideTeam,
};
