import { describe, expect, it } from '@jest/globals';
import { DomainConflict, DomainRuleViolation } from '../../libs/aggregates/domain-errors.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { dashboardRule } from './team-access.js';
import { evolveTeam, INITIAL_TEAM_STATE, TeamType } from './team.aggregate.js';

const profile = { name: ' SLT Haven ', wijk: 'Haven', stadsdeel: 'Almere Haven' };

describe('Team', () => {
  it('records TeamCreated once, trimmed, in stream team-<teamId>', () => {
    const team = TeamType.create('team-1');
    team.create(profile);
    expect(team.getUncommittedEvents()).toEqual([
      {
        type: 'team.TeamCreated',
        data: { teamId: 'team-1', name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' },
      },
    ]);
    expect(team.currentState).toEqual({
      created: true,
      profile: { name: 'SLT Haven', wijk: 'Haven', stadsdeel: 'Almere Haven' },
    });
    expect(TeamType.category).toBe('team');
    expect(() => team.create(profile)).toThrow(DomainConflict);
  });

  it('refuses a blank name, wijk or stadsdeel', () => {
    for (const field of ['name', 'wijk', 'stadsdeel'] as const) {
      const team = TeamType.create('team-1');
      expect(() => team.create({ ...profile, [field]: '  ' })).toThrow(DomainRuleViolation);
      expect(team.getUncommittedEvents()).toEqual([]);
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
