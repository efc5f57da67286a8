import { describe, expect, it } from '@jest/globals';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { dashboardRule } from './team-access.js';
import type { TeamEvent } from './team.events.js';
import { evolveTeam, INITIAL_TEAM_STATE, teamDecider, type TeamCommand } from './team.decide.js';

const profile = { name: ' SLT Haven ', wijk: 'Haven', stadsdeel: 'Almere Haven' };
const create = (p = profile): TeamCommand => ({ type: 'CreateTeam', teamId: 'team-1', profile: p });
const created: TeamEvent = {
  type: 'team.TeamCreated',
  data: { teamId: 'team-1', name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' },
};
const spec = deciderSpec(teamDecider);

describe('the team decider', () => {
  it('records TeamCreated once, trimmed, in stream team-<teamId>', () => {
    spec.given([]).when(create()).then([created]);
    expect(teamDecider.evolve(teamDecider.initialState, created)).toEqual({
      created: true,
      profile: { name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' },
    });
    expect(teamDecider.category).toBe('team');
    spec
      .given([created])
      .when(create())
      .thenFails(DomainConflict, /already exists/);
  });

  it('refuses a blank name, wijk or stadsdeel', () => {
    for (const field of ['name', 'wijk', 'stadsdeel'] as const) {
      // A refusal decides no event at all.
      spec
        .given([])
        .when(create({ ...profile, [field]: '  ' }))
        .thenFails(DomainRuleViolation, new RegExp(`needs a ${field}`));
    }
  });

  it('folds purely', () => {
    const data = { teamId: 't', name: 'n', wijk: 'w', stadsdeel: 's' };
    expect(evolveTeam(INITIAL_TEAM_STATE, { type: 'team.TeamCreated', data })).toEqual({
      created: true,
      profile: { name: 'n', wijk: 'w', stadsdeel: 's' },
    });
    expect(INITIAL_TEAM_STATE).toEqual({ created: false });
  });
});

describe('dashboardRule', () => {
  const user = (roles: AuthUser['roles'], teams: string[] = []): AuthUser => ({
    sub: 'u',
    name: 'U',
    organisation: 'O',
    roles,
    teams,
  });

  it("is for the team's lead and professionals, admins and auditors; nobody else", () => {
    expect(dashboardRule(user(['team_lead'], ['t']), 't')).toBe('team_lead');
    expect(dashboardRule(user(['professional'], ['t']), 't')).toBe('team_member');
    expect(dashboardRule(user(['auditor']), 't')).toBe('auditor');
    expect(dashboardRule(user(['admin']), 't')).toBe('admin');
    expect(dashboardRule(user(['team_lead'], ['other']), 't')).toBeNull();
    expect(dashboardRule(user(['professional'], ['other']), 't')).toBeNull();
    expect(dashboardRule(user(['procesregisseur', 'policy_analyst']), 't')).toBeNull();
    expect(dashboardRule(user(['citizen'], ['t']), 't')).toBeNull();
  });
});

describe('postcode areas', () => {
  const withAreas = (areas: string[]): TeamCommand => ({
    type: 'CreateTeam',
    teamId: 'team-1',
    profile,
    postcodeAreas: areas,
  });

  it('are recorded sorted, each once, and changed as a whole', () => {
    spec
      .given([])
      .when(withAreas(['1355', '1354', '1355']))
      .then([
        { type: 'team.TeamCreated', data: { ...created.data, postcodeAreas: ['1354', '1355'] } },
      ]);
    const change: TeamCommand = {
      type: 'ChangePostcodeAreas',
      teamId: 'team-1',
      postcodeAreas: ['1356', '1354'],
    };
    const changed: TeamEvent = {
      type: 'team.PostcodeAreasChanged',
      data: { teamId: 'team-1', postcodeAreas: ['1354', '1356'] },
    };
    spec.given([created]).when(change).then([changed]);
    expect(teamDecider.evolve(evolveTeam(INITIAL_TEAM_STATE, created), changed)).toEqual({
      created: true,
      profile: { name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' },
      postcodeAreas: ['1354', '1356'],
    });
    spec
      .given([created, changed])
      .when(change)
      .thenFails(DomainConflict, /exactly these/);
    spec
      .given([])
      .when(change)
      .thenFails(DomainNotFound, /No team/);
  });

  it('are four-digit postcodes', () => {
    for (const area of ['0123', '135', '1354AB', ' 1354']) {
      spec
        .given([])
        .when(withAreas([area]))
        .thenFails(DomainRuleViolation, /four-digit postcode area/);
    }
  });
});
