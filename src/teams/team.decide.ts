import { DomainConflict, DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
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
}

export const INITIAL_TEAM_STATE: TeamState = Object.freeze({ created: false });

/** Pure fold of a team's events. */
export function evolveTeam(_: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'team.TeamCreated': {
      const { name, wijk, stadsdeel } = event.data;
      return { created: true, profile: { name, wijk, stadsdeel } };
    }
  }
}

export type TeamCommand = { type: 'CreateTeam'; teamId: string; profile: TeamProfile };

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
      return [{ type: 'team.TeamCreated', data: { teamId: command.teamId, ...trimmed } }];
    }
  }
}

/**
 * An SLT team: stream `team-<teamId>`. A team's name and neighbourhood are not personal data,
 * so its events are stored as decided; the decision needs nothing besides the state.
 */
export const teamDecider: Decider<TeamState, TeamCommand, TeamEvent, TeamEvent, void> = {
  category: 'team',
  snapshotVersion: 1,
  label: 'team',
  initialState: INITIAL_TEAM_STATE,
  evolve: evolveTeam,
  decide: decideTeam,
};
