import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { AuthUser, Role } from '#libs/auth/auth-user.js';
import type { Confidentiality, LifeDomain } from '../kernel/life-domains.js';
import { NO_REGIE } from '../kernel/regie.js';
import {
  ADULT_AGE,
  OWN_LOGIN_AGE,
  OWN_SAY_AGE,
  Viewer,
  type CompositionView,
  type ConsentGrant,
  type FamilyFacts,
  type ItemFacts,
} from './viewer.js';

// ---------------------------------------------------------------------------------------------
// Fixtures: one family, built by hand, seen on a fixed day.
// ---------------------------------------------------------------------------------------------

const today = new Date('2026-11-23T12:00:00Z');
const dayBefore = new Date('2026-11-22T12:00:00Z');
const YEAR = today.getUTCFullYear();
const yesterday = '2026-11-22';
const tomorrow = '2026-11-24';

/** A date of birth that makes someone exactly `age` on `today` (birthday in April, passed). */
const bornAged = (age: number) => `${YEAR - age}-04-15`;
/** A date of birth whose `age`th birthday is `today` itself. */
const birthdayToday = (age: number) => `${YEAR - age}-11-23`;

const TEAM = 'team-noord';

const M = {
  mother: 'm-mother',
  father: 'm-father', // departed
  asha: 'm-asha', // 21, adult child
  noor: 'm-noor', // 17
  daan: 'm-daan', // 13
  sem: 'm-sem', // 8
} as const;

const family: FamilyFacts = {
  teamId: TEAM,
  members: [
    { memberId: M.mother, role: 'parent', status: 'current', dateOfBirth: bornAged(41) },
    { memberId: M.father, role: 'parent', status: 'departed', dateOfBirth: bornAged(43) },
    { memberId: M.asha, role: 'child', status: 'current', dateOfBirth: bornAged(21) },
    { memberId: M.noor, role: 'child', status: 'current', dateOfBirth: bornAged(17) },
    { memberId: M.daan, role: 'child', status: 'current', dateOfBirth: bornAged(13) },
    { memberId: M.sem, role: 'child', status: 'current', dateOfBirth: bornAged(8) },
  ],
  caseTeam: [
    { professionalId: 'p-casus', organisation: 'SLT Haven' },
    { professionalId: 'p-slt', organisation: 'SLT Haven', lifeDomains: ['parenting'] },
    { professionalId: 'p-ggz', organisation: 'GGZ Centraal', lifeDomains: ['mental_health'] },
    { professionalId: 'p-schuld', organisation: 'Schuldhulp', lifeDomains: ['finances'] },
    { professionalId: 'p-school', organisation: 'Leerplicht' },
  ],
  regie: {
    ...NO_REGIE,
    casusregisseur: { professionalId: 'p-casus', name: 'Casus', organisation: 'SLT Haven' },
    perspectiefregisseur: {
      professionalId: 'p-perspectief',
      name: 'Perspectief',
      organisation: 'Wijkteam',
    },
    procesregisseur: { professionalId: 'p-proces', name: 'Proces', organisation: 'Gemeente' },
  },
  escalationHolders: [
    { professionalId: 'p-escalatie', level: 1 },
    { professionalId: 'p-brandpunt', level: 2 },
  ],
  consents: [],
};

const professional = (
  sub: string,
  organisation: string,
  over: Partial<Omit<AuthUser, 'sub' | 'organisation'>> = {},
): AuthUser => ({ sub, name: sub, organisation, roles: ['professional'], teams: [], ...over });

const citizen = (memberId: string, sub = `digid-${memberId}`): AuthUser => ({
  sub,
  name: memberId,
  organisation: 'burger',
  roles: ['citizen'],
  teams: [],
  memberId,
});

const U = {
  casus: professional('p-casus', 'SLT Haven', { teams: [TEAM] }),
  slt: professional('p-slt', 'SLT Haven'),
  ggz: professional('p-ggz', 'GGZ Centraal'),
  schuld: professional('p-schuld', 'Schuldhulp'),
  school: professional('p-school', 'Leerplicht'),
  perspectief: professional('p-perspectief', 'Wijkteam'),
  proces: professional('p-proces', 'Gemeente', { roles: ['professional', 'procesregisseur'] }),
  escalatie: professional('p-escalatie', 'Gemeente', { roles: ['procesregisseur'] }),
  brandpunt: professional('p-brandpunt', 'Gemeente', { roles: ['brandpuntfunctionaris'] }),
  auditor: professional('p-auditor', 'Gemeente', { roles: ['auditor'] }),
  lead: professional('p-lead', 'SLT Haven', { roles: ['team_lead'], teams: [TEAM] }),
  colleague: professional('p-colleague', 'SLT Haven', { teams: ['team-zuid', TEAM] }),
  outsider: professional('p-outsider', 'SLT Haven', { teams: ['team-zuid'] }),
  mother: citizen(M.mother),
  asha: citizen(M.asha),
  noor: citizen(M.noor),
  daan: citizen(M.daan),
  sem: citizen(M.sem),
};

const viewer = (user: AuthUser, facts: FamilyFacts = family, on: Date = today) =>
  new Viewer(user, facts, on);

const item = (over: Partial<ItemFacts> = {}): ItemFacts => ({
  confidentiality: 'case_team',
  lifeDomain: 'parenting',
  concerns: [],
  named: [],
  actionHolders: [],
  ...over,
});

let consentSeq = 0;
const consent = (
  memberId: string,
  grantee: ConsentGrant['grantee'],
  lifeDomain: LifeDomain,
  over: Partial<ConsentGrant> = {},
): ConsentGrant => ({
  consentId: `c-${++consentSeq}`,
  memberId,
  grantee,
  lifeDomain,
  purpose: 'care coordination',
  until: null,
  withdrawn: false,
  ...over,
});

const withConsents = (...consents: ConsentGrant[]): FamilyFacts => ({ ...family, consents });

// ---------------------------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------------------------

describe('Given the Jansen family on 23 November 2026: relations', () => {
  it('when the casusregisseur (also on the case team) looks, then both relations, strongest first', () => {
    const v = viewer(U.casus);

    expect(v.relations[0]).toBe('casusregisseur');
    expect(v.relations).toContain('case_team');
    expect(v.rule).toBe('casusregisseur');
    expect(v.knowsFamily).toBe(true);
    expect(v.onCase).toBe(true);
  });

  it('when a case-team professional looks, then case_team only', () => {
    expect(viewer(U.ggz).relations).toEqual(['case_team']);
    expect(viewer(U.ggz).rule).toBe('case_team');
  });

  it('when the perspectiefregisseur looks, then perspectiefregisseur', () => {
    expect(viewer(U.perspectief).relations).toEqual(['perspectiefregisseur']);
  });

  it('when the procesregisseur of the regie looks, then procesregisseur', () => {
    expect(viewer(U.proces).relations).toEqual(['procesregisseur']);
  });

  it('when the holder of escalation level 1 looks, then procesregisseur (not brandpunt)', () => {
    expect(viewer(U.escalatie).relations).toEqual(['procesregisseur']);
  });

  it('when the holder of escalation level 2 looks, then brandpuntfunctionaris only', () => {
    expect(viewer(U.brandpunt).relations).toEqual(['brandpuntfunctionaris']);
    expect(viewer(U.brandpunt).onCase).toBe(true);
  });

  it('when one professional holds several roles, then every one of them is listed', () => {
    const facts: FamilyFacts = {
      ...family,
      regie: {
        ...family.regie,
        perspectiefregisseur: {
          professionalId: 'p-ggz',
          name: 'GGZ',
          organisation: 'GGZ Centraal',
        },
      },
    };

    expect(viewer(U.ggz, facts).relations).toEqual(['case_team', 'perspectiefregisseur']);
  });

  it('when a citizen aged 12+ with a current memberId logs in, then member', () => {
    for (const user of [U.mother, U.asha, U.noor, U.daan]) {
      const v = viewer(user);
      expect(v.relations).toEqual(['member']);
      expect(v.member?.memberId).toBe(user.memberId);
      expect(v.onCase).toBe(false);
    }
  });

  it('when a citizen under 12 logs in, then no relation: parents act for them', () => {
    const v = viewer(U.sem);

    expect(v.ageOf(M.sem)).toBeLessThan(OWN_LOGIN_AGE);
    expect(v.relations).toEqual([]);
    expect(v.member).toBeUndefined();
    expect(v.knowsFamily).toBe(false);
  });

  it('when a departed member logs in, then no relation', () => {
    const v = viewer(citizen(M.father));

    expect(v.relations).toEqual([]);
    expect(v.knowsFamily).toBe(false);
  });

  it('when a citizen of another family logs in, then no relation', () => {
    expect(viewer(citizen('m-of-another-family')).knowsFamily).toBe(false);
  });

  it('when a citizen token has no memberId, then no relation', () => {
    const noMember: AuthUser = { ...U.mother, memberId: undefined };

    expect(viewer(noMember).knowsFamily).toBe(false);
  });

  it('when a citizen token carries the sub of a case-team professional, then still no professional relation', () => {
    for (const sub of [
      'p-casus',
      'p-ggz',
      'p-perspectief',
      'p-proces',
      'p-escalatie',
      'p-brandpunt',
    ]) {
      expect(viewer(citizen(M.asha, sub)).relations).toEqual(['member']);
      expect(viewer(citizen('m-elsewhere', sub)).relations).toEqual([]);
    }
  });

  it('when an auditor looks, then auditor (whatever the team)', () => {
    expect(viewer(U.auditor).relations).toEqual(['auditor']);
    expect(viewer(U.auditor).onCase).toBe(false);
  });

  it("when a team lead of the family's team looks, then team_lead", () => {
    expect(viewer(U.lead).relations).toEqual(['team_lead']);
  });

  it('when a team lead of another team looks, then nothing', () => {
    expect(viewer({ ...U.lead, teams: ['team-zuid'] }).knowsFamily).toBe(false);
  });

  it("when a professional of the family's team who is not on the case looks, then slt_colleague", () => {
    expect(viewer(U.colleague).relations).toEqual(['slt_colleague']);
    expect(viewer(U.colleague).onCase).toBe(false);
  });

  it("when a citizen is in the family's team list, then never slt_colleague", () => {
    expect(viewer({ ...citizen('m-x'), teams: [TEAM] }).relations).toEqual([]);
  });

  it('when a professional of another team looks, then nothing: knowsFamily false (404)', () => {
    const v = viewer(U.outsider);

    expect(v.relations).toEqual([]);
    expect(v.knowsFamily).toBe(false);
    expect(v.rule).toBe('none');
  });
});

// ---------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------

describe('Given the Jansen family: composition by viewer', () => {
  const views: [string, CompositionView, AuthUser][] = [
    ['casusregisseur', 'full', U.casus],
    ['case-team professional', 'names', U.ggz],
    ['perspectiefregisseur', 'names', U.perspectief],
    ['procesregisseur', 'names', U.proces],
    ['escalation holder level 1', 'names', U.escalatie],
    ['brandpuntfunctionaris', 'names', U.brandpunt],
    ['adult member', 'names', U.mother],
    ['member of 13', 'names', U.daan],
    ['auditor', 'pseudonym', U.auditor],
    ['team lead', 'pseudonym', U.lead],
    ['SLT colleague', 'pseudonym', U.colleague],
    ['professional of another team', 'none', U.outsider],
    ['child under 12', 'none', U.sem],
  ];

  it.each(views)('when the %s looks, then %s', (_name, expected, user) => {
    expect(viewer(user).composition).toBe(expected);
  });

  it("when an on-case professional is also in the family's team, then the case relation wins", () => {
    const v = viewer({ ...U.slt, teams: [TEAM] });

    expect(v.rule).toBe('case_team');
    expect(v.composition).toBe('names');
    expect(v.canRead(item({ confidentiality: 'case_team' }))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Item content for professionals
// ---------------------------------------------------------------------------------------------

describe('Given an emergency access to the Jansen family (break the glass)', () => {
  const glass = { accessId: 'a-1', reason: 'Politie meldt acute onveiligheid, buiten kantoortijd' };
  const broken: FamilyFacts = { ...family, emergencyAccess: glass };

  it('When an outsider reads, Then they read as the casusregisseur does, restricted items too', () => {
    const v = viewer(U.outsider, broken);
    expect(v.relations).toEqual(['emergency']);
    expect(v.composition).toBe('full');
    expect(v.canRead(item({ confidentiality: 'restricted', concerns: [M.noor] }))).toBe(true);
    expect(v.onCase).toBe(false);
  });

  it('When they read, Then the access log records it flagged, with the reason and the access', () => {
    expect(viewer(U.outsider, broken).accessBasis('care coordination')).toEqual({
      purpose: glass.reason,
      rule: 'emergency:a-1',
      breakTheGlass: true,
    });
  });

  it('When a colleague of the team breaks the glass, Then the emergency decides, not the pseudonyms', () => {
    const v = viewer(U.colleague, broken);
    expect(v.relations[0]).toBe('emergency');
    expect(v.composition).toBe('full');
  });

  it('When someone on the case has one too, Then their reads are ordinary reads of the case', () => {
    const v = viewer(U.ggz, broken);
    expect(v.relations).not.toContain('emergency');
    expect(v.accessBasis('care coordination')).toEqual({
      purpose: 'care coordination',
      rule: 'case_team',
      breakTheGlass: false,
    });
  });

  it('When a citizen token carries one, Then it counts for nothing', () => {
    expect(viewer(citizen(M.mother), broken).has('emergency')).toBe(false);
  });
});

describe('Given a case_team item about the family', () => {
  const caseTeamItem = item({ confidentiality: 'case_team', lifeDomain: 'housing' });

  it('when the casusregisseur, a case-team member or the perspectiefregisseur reads, then allowed', () => {
    for (const user of [U.casus, U.slt, U.ggz, U.school, U.perspectief]) {
      expect(viewer(user).canRead(caseTeamItem)).toBe(true);
    }
  });

  it('when the procesregisseur reads, then the title only, not the content', () => {
    for (const user of [U.proces, U.escalatie]) {
      const v = viewer(user);
      expect(v.canRead(caseTeamItem)).toBe(false);
      expect(v.canReadTitle(caseTeamItem)).toBe(true);
    }
  });

  it('when the brandpuntfunctionaris reads, then neither content nor title', () => {
    const v = viewer(U.brandpunt);

    expect(v.canRead(caseTeamItem)).toBe(false);
    expect(v.canReadTitle(caseTeamItem)).toBe(false);
  });

  it('when a team lead, SLT colleague, auditor or outsider reads, then nothing', () => {
    for (const user of [U.lead, U.colleague, U.auditor, U.outsider]) {
      const v = viewer(user);
      expect(v.canRead(caseTeamItem)).toBe(false);
      expect(v.canReadTitle(caseTeamItem)).toBe(false);
    }
  });
});

describe('Given a need_to_know mental_health goal about Asha (21)', () => {
  const goal = item({
    confidentiality: 'need_to_know',
    lifeDomain: 'mental_health',
    concerns: [M.asha],
  });

  it('when the casusregisseur reads, then allowed', () => {
    expect(viewer(U.casus).canRead(goal)).toBe(true);
  });

  it('when a case-team member of the same life domain reads, then allowed', () => {
    expect(viewer(U.ggz).canRead(goal)).toBe(true);
  });

  it('when a case-team member of another life domain, without action or consent, reads, then refused', () => {
    for (const user of [U.slt, U.schuld, U.school]) {
      expect(viewer(user).canRead(goal)).toBe(false);
    }
  });

  it('when a case-team member holds an action on the goal, then allowed', () => {
    expect(viewer(U.school).canRead({ ...goal, actionHolders: ['p-school'] })).toBe(true);
    expect(viewer(U.slt).canRead({ ...goal, actionHolders: ['p-school'] })).toBe(false);
  });

  it('when the case-team member wrote it, then allowed', () => {
    expect(viewer(U.school).canRead({ ...goal, authorId: 'p-school' })).toBe(true);
  });

  it('when the goal also concerns her mother, then Asha alone cannot share it with an organisation', () => {
    const joint = { ...goal, concerns: [M.asha, M.mother] };
    const asha = consent(M.asha, { organisation: 'Leerplicht' }, 'mental_health');
    const mother = consent(M.mother, { organisation: 'Leerplicht' }, 'mental_health');

    expect(viewer(U.school, withConsents(asha)).canRead(joint)).toBe(false);
    expect(viewer(U.school, withConsents(asha, mother)).canRead(joint)).toBe(true);
  });

  it("when Asha consented to the reader's organisation for mental_health, then allowed", () => {
    const facts = withConsents(consent(M.asha, { organisation: 'Leerplicht' }, 'mental_health'));

    expect(viewer(U.school, facts).canRead(goal)).toBe(true);
    expect(viewer(U.schuld, facts).canRead(goal)).toBe(false);
  });

  it('when the consent runs until tomorrow, then allowed; until yesterday, then refused', () => {
    const valid = withConsents(
      consent(M.asha, { organisation: 'Leerplicht' }, 'mental_health', { until: tomorrow }),
    );
    const expired = withConsents(
      consent(M.asha, { organisation: 'Leerplicht' }, 'mental_health', { until: yesterday }),
    );

    expect(viewer(U.school, valid).canRead(goal)).toBe(true);
    expect(viewer(U.school, expired).canRead(goal)).toBe(false);
  });

  it('when the consent was withdrawn, then refused at once', () => {
    const facts = withConsents(
      consent(M.asha, { organisation: 'Leerplicht' }, 'mental_health', { withdrawn: true }),
    );

    expect(viewer(U.school, facts).canRead(goal)).toBe(false);
  });

  it('when the consent is for another life domain, then refused', () => {
    const facts = withConsents(consent(M.asha, { organisation: 'Leerplicht' }, 'education'));

    expect(viewer(U.school, facts).canRead(goal)).toBe(false);
  });

  it('when the consent is for another organisation, then refused', () => {
    const facts = withConsents(consent(M.asha, { organisation: 'Schuldhulp' }, 'mental_health'));

    expect(viewer(U.school, facts).canRead(goal)).toBe(false);
    expect(viewer(U.schuld, facts).canRead(goal)).toBe(true);
  });

  it('when another member (not Asha) consented, then refused', () => {
    const facts = withConsents(consent(M.mother, { organisation: 'Leerplicht' }, 'mental_health'));

    expect(viewer(U.school, facts).canRead(goal)).toBe(false);
  });

  it('when a consent names a member as grantee, then it gives no organisation access', () => {
    const facts = withConsents(consent(M.asha, { memberId: M.mother }, 'mental_health'));

    expect(viewer(U.school, facts).canRead(goal)).toBe(false);
  });

  it('when the perspectiefregisseur reads, then allowed', () => {
    expect(viewer(U.perspectief).canRead(goal)).toBe(true);
  });

  it('when the procesregisseur, brandpunt, team lead, colleague or auditor reads, then refused (no title either)', () => {
    for (const user of [U.proces, U.escalatie, U.brandpunt, U.lead, U.colleague, U.auditor]) {
      const v = viewer(user);
      expect(v.canRead(goal)).toBe(false);
      expect(v.canReadTitle(goal)).toBe(false);
    }
  });

  it('when a consented organisation has a professional who is not on the case, then refused', () => {
    const facts = withConsents(consent(M.asha, { organisation: 'SLT Haven' }, 'mental_health'));

    expect(viewer(U.colleague, facts).canRead(goal)).toBe(false);
    expect(viewer(U.slt, facts).canRead(goal)).toBe(true);
  });
});

describe('Given a restricted safety item about Noor', () => {
  const safety = item({
    confidentiality: 'restricted',
    lifeDomain: 'safety',
    concerns: [M.noor],
    authorId: 'p-slt',
    named: ['p-school'],
    actionHolders: ['p-schuld'],
  });

  it('when the author, the casusregisseur or a named professional reads, then allowed', () => {
    for (const user of [U.slt, U.casus, U.school]) {
      expect(viewer(user).canRead(safety)).toBe(true);
    }
  });

  it('when anyone else on or around the case reads, then refused, whatever their domain, action or consent', () => {
    const facts = withConsents(
      consent(M.noor, { organisation: 'GGZ Centraal' }, 'safety'),
      consent(M.noor, { memberId: M.mother }, 'safety'),
    );
    const ggzForSafety: FamilyFacts = {
      ...facts,
      caseTeam: facts.caseTeam.map((p) =>
        p.professionalId === 'p-ggz' ? { ...p, lifeDomains: ['safety'] } : p,
      ),
    };
    for (const user of [
      U.ggz,
      U.schuld,
      U.perspectief,
      U.proces,
      U.brandpunt,
      U.lead,
      U.colleague,
      U.auditor,
      U.mother,
      U.noor,
    ]) {
      const v = viewer(user, ggzForSafety);
      expect(v.canRead(safety)).toBe(false);
      expect(v.canReadTitle(safety)).toBe(false);
    }
  });

  it('when a restricted item concerns the whole family, then no member reads it', () => {
    const wholeFamily = item({ confidentiality: 'restricted', concerns: [], authorId: 'p-slt' });

    for (const user of [U.mother, U.asha, U.noor, U.daan]) {
      expect(viewer(user).canRead(wholeFamily)).toBe(false);
    }
  });

  it('when a citizen token carries the sub of a named professional, then the member still does not read it', () => {
    // The token is a citizen's: it gets no professional relation (see relations above), so the
    // restricted rule, which is for professionals named on the item, must not apply to it either.
    const v = viewer(citizen(M.noor, 'p-school'));

    expect(v.relations).toEqual(['member']);
    expect(v.canRead(safety)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Item content for family members (Jeugdwet / WGBO)
// ---------------------------------------------------------------------------------------------

describe('Given the Jansen family: members as readers', () => {
  const about = (
    memberId: string | readonly string[],
    confidentiality: Confidentiality = 'case_team',
    lifeDomain: LifeDomain = 'parenting',
  ) =>
    item({
      confidentiality,
      lifeDomain,
      concerns: typeof memberId === 'string' ? [memberId] : memberId,
    });

  it('when a member of 12+ reads an item about themselves, then allowed at case_team and need_to_know', () => {
    for (const user of [U.mother, U.asha, U.noor, U.daan]) {
      for (const level of ['case_team', 'need_to_know'] as const) {
        expect(viewer(user).canRead(about(user.memberId!, level))).toBe(true);
      }
    }
  });

  it('when a member reads a restricted item about themselves, then refused', () => {
    for (const user of [U.mother, U.asha, U.noor, U.daan]) {
      expect(viewer(user).canRead(about(user.memberId!, 'restricted'))).toBe(false);
    }
  });

  it('when a member of 12+ reads an item about the whole family, then allowed', () => {
    for (const user of [U.mother, U.asha, U.noor, U.daan]) {
      for (const level of ['case_team', 'need_to_know'] as const) {
        expect(viewer(user).canRead(about([], level, 'finances'))).toBe(true);
      }
    }
  });

  it('when the child under 12 tries, then nothing: no own login', () => {
    expect(viewer(U.sem).canRead(about(M.sem))).toBe(false);
    expect(viewer(U.sem).canRead(about([]))).toBe(false);
  });

  it('when a parent reads items about a child under 12, then allowed at every level but restricted', () => {
    const v = viewer(U.mother);

    expect(v.ageOf(M.sem)).toBe(8);
    expect(v.canRead(about(M.sem, 'case_team'))).toBe(true);
    expect(v.canRead(about(M.sem, 'need_to_know', 'physical_health'))).toBe(true);
    expect(v.canRead(about(M.sem, 'restricted'))).toBe(false);
  });

  it('when a parent reads items about a child of 12-15, then allowed at every level but restricted', () => {
    const v = viewer(U.mother);

    expect(v.ageOf(M.daan)).toBe(13);
    expect(v.canRead(about(M.daan, 'case_team'))).toBe(true);
    expect(v.canRead(about(M.daan, 'need_to_know', 'mental_health'))).toBe(true);
    expect(v.canRead(about(M.daan, 'restricted'))).toBe(false);
  });

  it('when a parent reads items about a youth of 16-17, then case_team yes, need_to_know only with consent', () => {
    const need = about(M.noor, 'need_to_know', 'substance_use');

    expect(viewer(U.mother).ageOf(M.noor)).toBe(17);
    expect(viewer(U.mother).canRead(about(M.noor, 'case_team'))).toBe(true);
    expect(viewer(U.mother).canRead(need)).toBe(false);

    const consented = withConsents(consent(M.noor, { memberId: M.mother }, 'substance_use'));
    expect(viewer(U.mother, consented).canRead(need)).toBe(true);
    expect(viewer(U.mother, consented).canRead(about(M.noor, 'restricted'))).toBe(false);
  });

  it("when the youth's consent is for another domain, another member, or withdrawn, then the parent does not read", () => {
    const need = about(M.noor, 'need_to_know', 'substance_use');

    for (const facts of [
      withConsents(consent(M.noor, { memberId: M.mother }, 'mental_health')),
      withConsents(consent(M.noor, { memberId: M.asha }, 'substance_use')),
      withConsents(consent(M.noor, { memberId: M.mother }, 'substance_use', { withdrawn: true })),
      withConsents(consent(M.noor, { memberId: M.mother }, 'substance_use', { until: yesterday })),
      withConsents(consent(M.noor, { organisation: 'SLT Haven' }, 'substance_use')),
      withConsents(consent(M.daan, { memberId: M.mother }, 'substance_use')),
    ]) {
      expect(viewer(U.mother, facts).canRead(need)).toBe(false);
    }
  });

  it("when Asha (21) has a mental_health goal, then her mother reads it only while Asha's consent stands", () => {
    const goal = about(M.asha, 'need_to_know', 'mental_health');
    const granted = consent(M.asha, { memberId: M.mother }, 'mental_health');

    // Given no consent: hidden
    expect(viewer(U.mother).canRead(goal)).toBe(false);
    // When Asha consents: visible
    expect(viewer(U.mother, withConsents(granted)).canRead(goal)).toBe(true);
    // When Asha withdraws: hidden again
    expect(viewer(U.mother, withConsents({ ...granted, withdrawn: true })).canRead(goal)).toBe(
      false,
    );
  });

  it('when a parent reads a case_team item about an adult child, then also only with consent', () => {
    const housing = about(M.asha, 'case_team', 'housing');

    expect(viewer(U.mother).canRead(housing)).toBe(false);
    expect(
      viewer(U.mother, withConsents(consent(M.asha, { memberId: M.mother }, 'housing'))).canRead(
        housing,
      ),
    ).toBe(true);
  });

  it("when a child reads their parent's items, then only with the parent's consent", () => {
    const debt = about(M.mother, 'case_team', 'finances');

    expect(viewer(U.daan).canRead(debt)).toBe(false);
    expect(viewer(U.asha).canRead(debt)).toBe(false);
    expect(
      viewer(U.asha, withConsents(consent(M.mother, { memberId: M.asha }, 'finances'))).canRead(
        debt,
      ),
    ).toBe(true);
  });

  it("when a sibling who is not a parent reads another child's items, then refused", () => {
    expect(viewer(U.daan).canRead(about(M.sem))).toBe(false);
    expect(viewer(U.noor).canRead(about(M.daan))).toBe(false);
    expect(viewer(U.asha).canRead(about(M.sem))).toBe(false);
    expect(viewer(U.asha).canRead(about(M.noor))).toBe(false);
  });

  it('when an item concerns two children, then the parent must be allowed for both', () => {
    const both = about([M.sem, M.noor], 'need_to_know', 'parenting');

    expect(viewer(U.mother).canRead(about([M.sem, M.daan], 'need_to_know'))).toBe(true);
    expect(viewer(U.mother).canRead(both)).toBe(false);
    expect(
      viewer(U.mother, withConsents(consent(M.noor, { memberId: M.mother }, 'parenting'))).canRead(
        both,
      ),
    ).toBe(true);
  });

  it('when an item concerns the reader and another adult, then the reader reads it: it is about them', () => {
    // privacy.md, "Confidentiality of plan items": case_team and need_to_know items are read by
    // "the members it concerns". A joint goal is the reader's own; consent is for others' items.
    const joint = about([M.mother, M.asha], 'need_to_know', 'mental_health');
    const onlyAsha = about([M.asha], 'need_to_know', 'mental_health');

    expect(viewer(U.mother).canRead(joint)).toBe(true);
    expect(viewer(U.mother).canRead(onlyAsha)).toBe(false);
    expect(viewer(U.mother).canRead(about([M.mother, M.asha], 'restricted', 'mental_health'))).toBe(
      false,
    );
  });

  it('when a 13-year-old reads an item about themselves and a parent, then they read it', () => {
    expect(viewer(U.daan).canRead(about([M.daan, M.mother], 'case_team', 'finances'))).toBe(true);
    expect(viewer(U.daan).canRead(about([M.mother], 'case_team', 'finances'))).toBe(false);
  });
});

describe('Given a youth whose 16th birthday is 23 November 2026', () => {
  const JIP = 'm-jip';
  const facts: FamilyFacts = {
    ...family,
    members: [
      ...family.members,
      { memberId: JIP, role: 'child', status: 'current', dateOfBirth: birthdayToday(OWN_SAY_AGE) },
    ],
  };
  const need = item({
    confidentiality: 'need_to_know',
    lifeDomain: 'mental_health',
    concerns: [JIP],
  });
  const team = item({ confidentiality: 'case_team', lifeDomain: 'education', concerns: [JIP] });

  it('when the parent looks the day before, then need_to_know is still readable', () => {
    const v = viewer(U.mother, facts, dayBefore);

    expect(v.ageOf(JIP)).toBe(OWN_SAY_AGE - 1);
    expect(v.canRead(need)).toBe(true);
    expect(v.canRead(team)).toBe(true);
  });

  it('when the parent looks on the birthday, then need_to_know is hidden, case_team still shown', () => {
    const v = viewer(U.mother, facts, today);

    expect(v.ageOf(JIP)).toBe(OWN_SAY_AGE);
    expect(v.canRead(need)).toBe(false);
    expect(v.canRead(team)).toBe(true);
  });

  it('when the youth consents on the birthday, then the parent reads need_to_know again', () => {
    const consented = {
      ...facts,
      consents: [consent(JIP, { memberId: M.mother }, 'mental_health')],
    };

    expect(viewer(U.mother, consented, today).canRead(need)).toBe(true);
  });
});

describe('Given a youth whose 18th birthday is 23 November 2026', () => {
  const LOT = 'm-lot';
  const facts: FamilyFacts = {
    ...family,
    members: [
      ...family.members,
      { memberId: LOT, role: 'child', status: 'current', dateOfBirth: birthdayToday(ADULT_AGE) },
    ],
  };
  const team = item({ confidentiality: 'case_team', lifeDomain: 'housing', concerns: [LOT] });

  it('when the parent looks the day before, then case_team items are readable', () => {
    const v = viewer(U.mother, facts, dayBefore);

    expect(v.ageOf(LOT)).toBe(ADULT_AGE - 1);
    expect(v.canRead(team)).toBe(true);
  });

  it('when the parent looks on the birthday, then nothing about the adult without consent', () => {
    const v = viewer(U.mother, facts, today);

    expect(v.ageOf(LOT)).toBe(ADULT_AGE);
    expect(v.canRead(team)).toBe(false);
    const consented = { ...facts, consents: [consent(LOT, { memberId: M.mother }, 'housing')] };
    expect(viewer(U.mother, consented, today).canRead(team)).toBe(true);
  });
});

describe('Given a child whose 12th birthday is 23 November 2026', () => {
  const KIM = 'm-kim';
  const facts: FamilyFacts = {
    ...family,
    members: [
      ...family.members,
      {
        memberId: KIM,
        role: 'child',
        status: 'current',
        dateOfBirth: birthdayToday(OWN_LOGIN_AGE),
      },
    ],
  };

  it('when the child logs in the day before, then no relation; on the birthday, member', () => {
    expect(viewer(citizen(KIM), facts, dayBefore).knowsFamily).toBe(false);
    expect(viewer(citizen(KIM), facts, today).relations).toEqual(['member']);
    expect(viewer(citizen(KIM), facts, today).canRead(item({ concerns: [KIM] }))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: consent only ever widens what a viewer reads.
// ---------------------------------------------------------------------------------------------

describe('Given random families, consents and items', () => {
  const DOMAINS: readonly LifeDomain[] = ['parenting', 'mental_health', 'finances'];
  const ORGS = ['SLT Haven', 'GGZ Centraal', 'Schuldhulp'];
  const PROS = ['p-1', 'p-2', 'p-3', 'p-4'];
  const DAY = 24 * 60 * 60 * 1000;
  const dateDaysAgo = (days: number) =>
    new Date(today.getTime() - days * DAY).toISOString().slice(0, 10);
  const holder = (id: string) => ({ professionalId: id, name: id, organisation: 'Elders' });
  const subset = <T>(values: readonly T[]) => fc.subarray([...values]);
  const pro = fc.constantFrom(...PROS);

  const grant = fc.record({
    /** Aimed at the viewer, the item's domain and a member the item concerns. */
    aimed: fc.boolean(),
    pick: fc.nat(),
    grantee: fc.oneof(
      fc.record({ organisation: fc.constantFrom(...ORGS) }),
      fc.record({ memberId: fc.constantFrom('m-0', 'm-1', 'm-2', 'm-3') }),
    ),
    lifeDomain: fc.constantFrom(...DOMAINS),
    until: fc.constantFrom(null, null, yesterday, '2026-11-23', tomorrow),
    withdrawn: fc.constantFrom(false, false, false, true),
  });
  type Grant = typeof grant extends fc.Arbitrary<infer T> ? T : never;

  const scenario = fc.record({
    members: fc
      .array(
        fc.record({
          role: fc.constantFrom('parent' as const, 'child' as const, 'other' as const),
          status: fc.constantFrom('current' as const, 'current' as const, 'departed' as const),
          dateOfBirth: fc.option(fc.integer({ min: 0, max: 60 * 366 }).map(dateDaysAgo), {
            freq: 8,
          }),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((ms) => ms.map((m, i) => ({ ...m, memberId: `m-${i}` }))),
    caseTeam: fc.uniqueArray(
      fc.record({
        professionalId: pro,
        organisation: fc.constantFrom(...ORGS),
        lifeDomains: fc.option(subset(DOMAINS), { nil: undefined }),
      }),
      { selector: (p) => p.professionalId, maxLength: PROS.length },
    ),
    casus: fc.option(pro, { freq: 3 }),
    perspectief: fc.option(pro, { freq: 3 }),
    proces: fc.option(pro, { freq: 3 }),
    escalationHolders: fc.array(fc.record({ professionalId: pro, level: fc.constantFrom(1, 2) }), {
      maxLength: 2,
    }),
    consents: fc.array(grant, { maxLength: 5 }),
    extra: fc.oneof(
      { weight: 3, arbitrary: grant.map((g) => ({ ...g, aimed: true, withdrawn: false })) },
      { weight: 1, arbitrary: grant },
    ),
    item: fc.record({
      confidentiality: fc.constantFrom<Confidentiality>('case_team', 'need_to_know', 'restricted'),
      lifeDomain: fc.option(fc.constantFrom(...DOMAINS), { freq: 6 }),
      concerns: fc.uniqueArray(fc.constantFrom('m-0', 'm-1', 'm-2', 'm-3'), { maxLength: 3 }),
      authorId: fc.option(pro, { nil: undefined }),
      named: subset(PROS),
      actionHolders: subset(PROS),
    }),
    viewer: fc.record({
      citizen: fc.boolean(),
      pick: fc.nat(),
      sub: fc.constantFrom('digid-x', ...PROS),
      organisation: fc.constantFrom(...ORGS),
      roles: subset<Role>(['professional', 'team_lead', 'auditor', 'procesregisseur']),
      teams: subset(['team-a', 'team-b']),
    }),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

  /** The viewer: one of the members, or a professional (mostly one of the case team). */
  const userOf = ({ viewer: v, members, caseTeam }: Scenario): AuthUser => {
    const base = { name: 'viewer', roles: v.roles, teams: v.teams };
    if (v.citizen) {
      const memberId = members[v.pick % members.length].memberId;
      return { ...base, sub: v.sub, organisation: 'burger', roles: ['citizen'], memberId };
    }
    const colleague = caseTeam[v.pick % (caseTeam.length + 1)];
    return colleague
      ? { ...base, sub: colleague.professionalId, organisation: colleague.organisation }
      : { ...base, sub: v.sub, organisation: v.organisation };
  };

  const itemOf = (s: Scenario): ItemFacts => ({
    ...s.item,
    concerns: s.item.concerns.filter((id) => s.members.some((m) => m.memberId === id)),
  });

  const consentOf =
    (s: Scenario) =>
    ({ aimed, pick, ...g }: Grant, i: number): ConsentGrant => {
      const user = userOf(s);
      const item = itemOf(s);
      const pool = item.concerns.length > 0 ? item.concerns : s.members.map((m) => m.memberId);
      return {
        ...g,
        consentId: `c-${i}`,
        memberId: pool[pick % pool.length],
        purpose: 'care coordination',
        ...(aimed && {
          grantee: user.memberId
            ? { memberId: user.memberId }
            : { organisation: user.organisation },
          lifeDomain: item.lifeDomain ?? g.lifeDomain,
        }),
      };
    };

  const factsOf = (s: Scenario, consents: readonly ConsentGrant[]): FamilyFacts => ({
    teamId: 'team-a',
    members: s.members,
    caseTeam: s.caseTeam,
    regie: {
      ...NO_REGIE,
      casusregisseur: s.casus ? holder(s.casus) : null,
      perspectiefregisseur: s.perspectief ? holder(s.perspectief) : null,
      procesregisseur: s.proces ? holder(s.proces) : null,
    },
    escalationHolders: s.escalationHolders,
    consents,
  });

  const reads = (s: Scenario, consents: readonly ConsentGrant[]) =>
    viewer(userOf(s), factsOf(s, consents)).canRead(itemOf(s));

  it('when a consent is added, then no readable item becomes unreadable', () => {
    let widened = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const before = s.consents.map(consentOf(s));
        const after = [...before, consentOf(s)(s.extra, before.length)];
        const [readBefore, readAfter] = [reads(s, before), reads(s, after)];
        if (readAfter && !readBefore) widened += 1;
        return !readBefore || readAfter;
      }),
      { numRuns: 3000 },
    );
    // The property is not vacuous: consent did open items in some of the runs.
    expect(widened).toBeGreaterThan(0);
  });

  it('when every consent is withdrawn, then no unreadable item becomes readable', () => {
    let narrowed = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const granted = s.consents.map(consentOf(s));
        const withdrawn = granted.map((c) => ({ ...c, withdrawn: true }));
        const [readGranted, readWithdrawn] = [reads(s, granted), reads(s, withdrawn)];
        if (readGranted && !readWithdrawn) narrowed += 1;
        // Withdrawn consents count for nothing: the same as having none at all.
        return readWithdrawn === reads(s, []) && (!readWithdrawn || readGranted);
      }),
      { numRuns: 3000 },
    );
    expect(narrowed).toBeGreaterThan(0);
  });
});
