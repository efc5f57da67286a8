import {
  EventSourcedAggregate,
  type AggregateType,
} from '../../libs/aggregates/event-sourced-aggregate.js';
import { DomainConflict, DomainRuleViolation } from '../../libs/aggregates/domain-errors.js';
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

/** Pure fold of a team's events; shared by the aggregate and its tests. */
export function evolveTeam(_: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'team.TeamCreated': {
      const { name, wijk, stadsdeel } = event.data;
      return { created: true, profile: { name, wijk, stadsdeel } };
    }
  }
}

export class Team extends EventSourcedAggregate<TeamState, TeamEvent> {
  protected initialState(): TeamState {
    return INITIAL_TEAM_STATE;
  }

  protected evolve(state: TeamState, event: TeamEvent): TeamState {
    return evolveTeam(state, event);
  }

  /** Once per team; surrounding whitespace is not part of a name. */
  create(profile: TeamProfile): void {
    if (this.state.created) throw new DomainConflict(`Team ${this.id} already exists`);
    const trimmed = {
      name: profile.name.trim(),
      wijk: profile.wijk.trim(),
      stadsdeel: profile.stadsdeel.trim(),
    };
    for (const [field, value] of Object.entries(trimmed)) {
      if (value === '') throw new DomainRuleViolation(`A team needs a ${field}`, field);
    }
    this.apply({ type: 'team.TeamCreated', data: { teamId: this.id, ...trimmed } });
  }
}

export const TeamType: AggregateType<Team> = {
  category: 'team',
  snapshotVersion: 1,
  create: (teamId) => new Team(teamId),
};
