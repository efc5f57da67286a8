import { describe, expect, it } from '@jest/globals';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { sealFamilyEvent } from './family.command.js';
import {
  decideFamily,
  familyDecider,
  type FamilyCommand,
  type FamilyDecisionContext,
} from './family.decide.js';
import type {
  ConsentGranted,
  DecidedFamilyEvent,
  FamilyEvent,
  PlainForms,
} from './family.events.js';
import {
  consentsOf,
  currentMembers,
  evolveFamily,
  INITIAL_FAMILY_STATE,
  type FamilyState,
} from './family.evolve.js';

const spec = deciderSpec(familyDecider);
const ctx: FamilyDecisionContext = { familyId: 'f-1' };

const sanne = {
  professionalId: 'prof-sanne',
  name: 'Sanne',
  organisation: 'SLT Haven',
  discipline: 'SLT',
};
const joyce = {
  professionalId: 'prof-joyce',
  name: 'Joyce',
  organisation: 'JGZ Almere',
  discipline: 'jeugdverpleegkundige',
};
/** Stand-in for the vault: what a person's data seals to names whose key sealed it. */
const fakeSeal = async (subjectId: string) => `pd1:${subjectId}:sealed` as Sealed;
/** Members as stored (sealed) and as commands carry them (plain). */
const member = { memberId: 'm-1', role: 'parent' as const, personal: 'pd1:m-1:sealed' as Sealed };
const baby = { memberId: 'm-2', role: 'child' as const, personal: 'pd1:m-2:sealed' as Sealed };
const grandmother = {
  networkId: 'n-1',
  relation: 'grandmother',
  personal: 'pd1:n-1:sealed' as Sealed,
};
const plain = {
  member: {
    ...member,
    personal: { givenName: 'Sara', familyName: 'Jansen', dateOfBirth: '1990-04-02' },
  },
  baby: {
    ...baby,
    personal: { givenName: 'Noor', familyName: 'Jansen', dateOfBirth: '2026-08-30' },
  },
  grandmother: { ...grandmother, personal: { name: 'Oma Jansen' } },
};

const registered: FamilyEvent[] = [
  {
    type: 'family.FamilyRegistered',
    data: { familyId: 'f-1', teamId: 'team-1', members: [member], network: [] },
  },
  { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...sanne } },
];
const babyAdded: FamilyEvent = { type: 'family.MemberAdded', data: { familyId: 'f-1', ...baby } };
const withChild: FamilyEvent[] = [...registered, babyAdded];

const register: FamilyCommand = {
  type: 'RegisterFamily',
  teamId: 'team-1',
  members: [plain.member],
  network: [],
  registeredBy: sanne,
};

const fold = (events: readonly FamilyEvent[], state: FamilyState = INITIAL_FAMILY_STATE) =>
  events.reduce(evolveFamily, state);

/** The state after the history and the decided events, sealed as the pipeline seals them. */
async function stateAfter(
  history: readonly FamilyEvent[],
  decided: readonly DecidedFamilyEvent[],
): Promise<FamilyState> {
  const sealed = await Promise.all(decided.map((e) => sealFamilyEvent(e, 'f-1', fakeSeal)));
  return fold(sealed, fold(history));
}

const fieldOf = (attempt: () => void): string | undefined => {
  try {
    attempt();
  } catch (error) {
    return (error as DomainRuleViolation).field;
  }
  return undefined;
};
const decideOn = (history: readonly FamilyEvent[], command: FamilyCommand) => () =>
  decideFamily(command, fold(history), ctx);

describe('the family decider', () => {
  it('Given nothing, When registered, Then it is registered and the registrar joins the case team', async () => {
    const when = spec.given([]).when(register, ctx);

    when.then([
      {
        type: 'family.FamilyRegistered',
        data: { familyId: 'f-1', teamId: 'team-1', members: [plain.member], network: [] },
      },
      { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...sanne } },
    ]);
    expect(when.events().map((e) => e.type)).toEqual([
      'family.FamilyRegistered',
      'family.ProfessionalJoinedCaseTeam',
    ]);
    expect(await stateAfter([], when.events())).toEqual({
      registered: true,
      teamId: 'team-1',
      members: [{ memberId: 'm-1', role: 'parent', status: 'current', personal: member.personal }],
      networkIds: [],
      caseTeam: [sanne],
      consents: [],
    });
  });

  it('Given a registered family, When registered again, Then it is a conflict', () => {
    spec
      .given([
        {
          type: 'family.FamilyRegistered',
          data: { familyId: 'f-1', teamId: 't', members: [member], network: [] },
        },
      ])
      .when(register, ctx)
      .thenFails(DomainConflict);
  });

  it('Given nothing, When registered without members, Then the rule names the field', () => {
    const withoutMembers: FamilyCommand = { ...register, members: [] };

    spec
      .given([])
      .when(withoutMembers, ctx)
      .thenFails(DomainRuleViolation, /A family has at least one member/);
    expect(fieldOf(decideOn([], withoutMembers))).toBe('members');
  });

  it('Given a case-team member, When they join again, Then it is a conflict', () => {
    spec
      .given(registered)
      .when({ type: 'JoinCaseTeam', professional: sanne }, ctx)
      .thenFails(DomainConflict);
  });

  describe('members', () => {
    it('Given a registered family, When a member is added, Then they are a current member', async () => {
      const when = spec.given(registered).when({ type: 'AddMember', member: plain.baby }, ctx);

      when.then([{ type: 'family.MemberAdded', data: { familyId: 'f-1', ...plain.baby } }]);
      const state = await stateAfter(registered, when.events());
      expect(currentMembers(state).map((m) => m.memberId)).toEqual(['m-1', 'm-2']);
      expect(state.members[1]).toEqual({ ...baby, status: 'current' });
    });

    it('Given a member, When the same member is added again, Then it is a conflict', () => {
      spec
        .given(withChild)
        .when({ type: 'AddMember', member: plain.baby }, ctx)
        .thenFails(DomainConflict);
    });

    it('Given no family, When a member is added, Then it is a conflict', () => {
      spec.given([]).when({ type: 'AddMember', member: plain.baby }, ctx).thenFails(DomainConflict);
    });

    it('Given a current member, When they depart, Then they stay listed as departed', async () => {
      const when = spec
        .given(withChild)
        .when({ type: 'RecordDeparture', memberId: 'm-1', reason: 'Verhuisd' }, ctx);

      when.then([
        {
          type: 'family.MemberDeparted',
          data: { familyId: 'f-1', memberId: 'm-1', reason: 'Verhuisd' },
        },
      ]);
      const state = await stateAfter(withChild, when.events());
      expect(state.members.map((m) => [m.memberId, m.status])).toEqual([
        ['m-1', 'departed'],
        ['m-2', 'current'],
      ]);
      expect(currentMembers(state).map((m) => m.memberId)).toEqual(['m-2']);
    });

    it('Given a current member, When they depart without a reason, Then the event has no reason', () => {
      const [departed] = spec
        .given(registered)
        .when({ type: 'RecordDeparture', memberId: 'm-1' }, ctx)
        .events();

      expect(departed.data).toEqual({ familyId: 'f-1', memberId: 'm-1' });
    });

    it('Given a departed member, When they depart again, Then it is a conflict', () => {
      spec
        .given([
          ...registered,
          { type: 'family.MemberDeparted', data: { familyId: 'f-1', memberId: 'm-1' } },
        ])
        .when({ type: 'RecordDeparture', memberId: 'm-1' }, ctx)
        .thenFails(DomainConflict);
    });

    it('Given a family, When an unknown member departs, Then the rule names the member', () => {
      const unknown: FamilyCommand = { type: 'RecordDeparture', memberId: 'm-unknown' };

      spec.given(registered).when(unknown, ctx).thenFails(DomainRuleViolation);
      expect(fieldOf(decideOn(registered, unknown))).toBe('memberId');
    });
  });

  describe('coming of age', () => {
    const cameOfAge: FamilyEvent = {
      type: 'family.MemberCameOfAge',
      data: { familyId: 'f-1', memberId: 'm-2' },
    };
    const comingOfAge = (memberId: string, age: number): FamilyCommand => ({
      type: 'RecordComingOfAge',
      memberId,
      age,
    });

    it('Given a current member of 18, When the birthday is recorded, Then MemberCameOfAge once', async () => {
      const when = spec.given(withChild).when(comingOfAge('m-2', 18), ctx);

      when.then([cameOfAge]);
      spec
        .given([...withChild, cameOfAge])
        .when(comingOfAge('m-2', 18), ctx)
        .then([]);
      expect((await stateAfter(withChild, when.events())).members[1].cameOfAge).toBe(true);
    });

    it('Given a recorded birthday in history, When a late timer fires again, Then nothing happens', () => {
      spec
        .given([...withChild, cameOfAge])
        .when(comingOfAge('m-2', 19), ctx)
        .then([]);
    });

    it('Given a member of 17, a departed member or an unknown one, When recorded, Then nothing happens', () => {
      const departed = [
        ...withChild,
        { type: 'family.MemberDeparted', data: { familyId: 'f-1', memberId: 'm-2' } } as const,
      ];

      spec.given(withChild).when(comingOfAge('m-2', 17), ctx).then([]);
      spec.given(departed).when(comingOfAge('m-2', 18), ctx).then([]);
      spec.given(withChild).when(comingOfAge('m-unknown', 18), ctx).then([]);
    });
  });

  describe('consent', () => {
    const grant = {
      consentId: 'c-1',
      memberId: 'm-2',
      grantee: { memberId: 'm-1' },
      lifeDomain: 'mental_health',
      purpose: 'ondersteuning door moeder',
      until: null,
      grantedAt: '2026-11-23T10:00:00.000Z',
    };
    const granted: FamilyEvent = {
      type: 'family.ConsentGranted',
      data: { familyId: 'f-1', ...grant },
    };
    const withdraw = (memberId: string, withdrawnAt: string): FamilyCommand => ({
      type: 'WithdrawConsent',
      memberId,
      consentId: 'c-1',
      withdrawnAt,
    });

    it('Given a member, When they consent for a life domain, Then the consent is recorded', async () => {
      const when = spec.given(withChild).when({ type: 'GrantConsent', consent: grant }, ctx);

      when.then([granted]);
      expect(consentsOf(await stateAfter(withChild, when.events()))).toEqual([
        { ...grant, withdrawn: false },
      ]);
    });

    it('Given a consent, When withdrawn twice, Then the second is a conflict', async () => {
      const when = spec
        .given([...withChild, granted])
        .when(withdraw('m-2', '2026-11-24T10:00:00.000Z'), ctx);
      const withdrawn = when.events();

      when.then([
        {
          type: 'family.ConsentWithdrawn',
          data: {
            familyId: 'f-1',
            consentId: 'c-1',
            memberId: 'm-2',
            withdrawnAt: '2026-11-24T10:00:00.000Z',
          },
        },
      ]);
      expect(consentsOf(await stateAfter([...withChild, granted], withdrawn))[0].withdrawn).toBe(
        true,
      );
      const after = spec.given([...withChild, granted, ...(withdrawn as FamilyEvent[])]);
      after.when(withdraw('m-2', '2026-11-24T11:00:00.000Z'), ctx).thenFails(DomainConflict);
      after.when(withdraw('m-1', '2026-11-24T11:00:00.000Z'), ctx).thenFails(DomainNotFound);
    });

    it('Given a family, When consent names a stranger, oneself, or ends before it starts, Then the rule names the field', () => {
      const granting = (consent: Partial<Omit<ConsentGranted['data'], 'familyId'>>) =>
        decideOn(withChild, { type: 'GrantConsent', consent: { ...grant, ...consent } });

      expect(fieldOf(granting({ memberId: 'm-x' }))).toBe('memberId');
      expect(fieldOf(granting({ grantee: { memberId: 'm-2' } }))).toBe('memberId');
      expect(fieldOf(granting({ until: '2026-11-01' }))).toBe('until');
    });
  });

  describe('network', () => {
    it('Given a registered family, When a network member is added, Then it is registered', async () => {
      const when = spec
        .given(registered)
        .when({ type: 'AddNetworkMember', networkMember: plain.grandmother }, ctx);

      when.then([
        { type: 'family.NetworkMemberAdded', data: { familyId: 'f-1', ...plain.grandmother } },
      ]);
      expect((await stateAfter(registered, when.events())).networkIds).toEqual(['n-1']);
    });

    it('Given a network member, When added again, Then it is a conflict', () => {
      spec
        .given([
          ...registered,
          { type: 'family.NetworkMemberAdded', data: { familyId: 'f-1', ...grandmother } },
        ])
        .when({ type: 'AddNetworkMember', networkMember: plain.grandmother }, ctx)
        .thenFails(DomainConflict);
    });
  });

  describe('case team', () => {
    it('Given a registered family, When a professional joins, Then the case team lists them in full', async () => {
      const when = spec.given(registered).when({ type: 'JoinCaseTeam', professional: joyce }, ctx);

      when.then([
        { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...joyce } },
      ]);
      expect((await stateAfter(registered, when.events())).caseTeam).toEqual([sanne, joyce]);
    });

    it('Given a professional on the case team, When they join again, Then it is a conflict', () => {
      spec
        .given([
          ...registered,
          { type: 'family.ProfessionalJoinedCaseTeam', data: { familyId: 'f-1', ...joyce } },
        ])
        .when({ type: 'JoinCaseTeam', professional: { ...joyce, discipline: 'other' } }, ctx)
        .thenFails(DomainConflict);
    });
  });

  /** Decides each command on the state the ones before left, as the pipeline does. */
  async function live(commands: readonly FamilyCommand[], history: readonly FamilyEvent[] = []) {
    let state = fold(history);
    const events: FamilyEvent[] = [];
    for (const command of commands) {
      const decided = decideFamily<PlainForms>(command, state, ctx);
      const sealed = await Promise.all(decided.map((e) => sealFamilyEvent(e, 'f-1', fakeSeal)));
      state = fold(sealed, state);
      events.push(...sealed);
    }
    return { state, events };
  }

  it('folds the same state from history as it reached live', async () => {
    const { state, events } = await live([
      register,
      { type: 'AddMember', member: plain.baby },
      { type: 'AddNetworkMember', networkMember: plain.grandmother },
      { type: 'JoinCaseTeam', professional: joyce },
      { type: 'RecordDeparture', memberId: 'm-1' },
    ]);

    expect(events.reduce(evolveFamily, INITIAL_FAMILY_STATE)).toEqual(state);
    // As the repository folds a stream for the pipeline.
    expect(events.reduce(familyDecider.evolve, familyDecider.initialState)).toEqual(state);
  });

  it('restores from a snapshot of its state (JSON) to the same state', async () => {
    const { state } = await live(
      [
        { type: 'AddMember', member: plain.baby },
        { type: 'RecordDeparture', memberId: 'm-1' },
        { type: 'RecordComingOfAge', memberId: 'm-2', age: 18 },
      ],
      registered,
    );

    const restored: FamilyState = JSON.parse(JSON.stringify(state));

    expect(restored).toEqual(state);
    expect(() => decideFamily({ type: 'RecordDeparture', memberId: 'm-1' }, restored, ctx)).toThrow(
      DomainConflict,
    );
    expect(
      decideFamily({ type: 'RecordComingOfAge', memberId: 'm-2', age: 18 }, restored, ctx),
    ).toEqual([]);
    expect(familyDecider.snapshotVersion).toBe(4);
  });
});
