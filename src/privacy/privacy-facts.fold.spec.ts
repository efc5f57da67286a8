import { describe, expect, it } from '@jest/globals';
import {
  foldEscalationFacts,
  foldFamilyFacts,
  foldPlanFacts,
  NO_FAMILY_FACTS,
  type EscalationEventView,
  type FamilyEventView,
  type PlanEventView,
} from './privacy-facts.fold.js';

const FAMILY = '0f6e1c1a-0000-4000-8000-000000000001';
const PLAN = '0f6e1c1a-0000-4000-8000-000000000002';
const OTHER_PLAN = '0f6e1c1a-0000-4000-8000-000000000003';
const ESC = '0f6e1c1a-0000-4000-8000-000000000004';
const sanne = { professionalId: 'prof-sanne', name: 'Sanne', organisation: 'SLT Haven' };
const omar = { professionalId: 'prof-omar', name: 'Omar', organisation: 'Wijkteam' };
const pim = { professionalId: 'prof-pim', name: 'Pim', organisation: 'Procesregie BV' };

const plans = (events: PlanEventView[]) => events.reduce(foldPlanFacts, null);
const escalation = (events: EscalationEventView[]) =>
  events.reduce(foldEscalationFacts, undefined as ReturnType<typeof foldEscalationFacts>);
/** Family events as their producer writes them, those the lens does not read included. */
type FamilyEventAsWritten = {
  type: `family.${string}`;
  data: { familyId: string; [field: string]: unknown };
};
const family = (events: FamilyEventAsWritten[]) =>
  events.reduce(
    (state, e) => foldFamilyFacts(state, e as unknown as FamilyEventView),
    NO_FAMILY_FACTS,
  );

describe('the privacy lens folds plan regie as the plan aggregate does', () => {
  it('opens a draft without regie, agrees it and tracks each holder and the vacancy', () => {
    expect(plans([{ type: 'gezinsplan.PlanOpened', data: { planId: PLAN } }])).toEqual({
      planId: PLAN,
      status: 'draft',
      regie: {
        casusregisseur: null,
        perspectiefregisseur: null,
        procesregisseur: null,
        casusregieVacantSince: null,
      },
    });
    const plan = plans([
      { type: 'gezinsplan.PlanOpened', data: { planId: PLAN } },
      { type: 'gezinsplan.PlanAgreed', data: { planId: PLAN } },
      { type: 'gezinsplan.CasusregieVacant', data: { planId: PLAN, since: '2027-01-04' } },
      {
        type: 'gezinsplan.RegieAssigned',
        data: { planId: PLAN, role: 'procesregie', holder: pim },
      },
      {
        type: 'gezinsplan.RegieAssigned',
        data: { planId: PLAN, role: 'casusregie', holder: omar },
      },
      {
        type: 'gezinsplan.RegieAssigned',
        data: { planId: PLAN, role: 'perspectiefregie', holder: sanne },
      },
    ]);
    expect(plan).toEqual({
      planId: PLAN,
      status: 'agreed',
      regie: {
        casusregisseur: omar,
        perspectiefregisseur: sanne,
        procesregisseur: pim,
        casusregieVacantSince: null,
      },
    });
    const vacant = plans([
      { type: 'gezinsplan.PlanOpened', data: { planId: PLAN } },
      {
        type: 'gezinsplan.RegieAssigned',
        data: { planId: PLAN, role: 'procesregie', holder: pim },
      },
      { type: 'gezinsplan.CasusregieVacant', data: { planId: PLAN, since: '2027-01-04' } },
    ]);
    // Only a casusregisseur ends the vacancy.
    expect(vacant?.regie.casusregieVacantSince).toBe('2027-01-04');
  });

  it('goes back to draft on a new version, closes, and starts over on the next plan', () => {
    const events: PlanEventView[] = [
      { type: 'gezinsplan.PlanOpened', data: { planId: PLAN } },
      {
        type: 'gezinsplan.RegieAssigned',
        data: { planId: PLAN, role: 'casusregie', holder: omar },
      },
      { type: 'gezinsplan.PlanAgreed', data: { planId: PLAN } },
      { type: 'gezinsplan.PlanVersionOpened', data: { planId: PLAN } },
    ];
    expect(plans(events)?.status).toBe('draft');
    const closed = plans([...events, { type: 'gezinsplan.PlanClosed', data: { planId: PLAN } }]);
    expect(closed).toMatchObject({ status: 'closed', regie: { casusregisseur: omar } });
    const next = plans([
      ...events,
      { type: 'gezinsplan.PlanClosed', data: { planId: PLAN } },
      { type: 'gezinsplan.PlanOpened', data: { planId: OTHER_PLAN } },
    ]);
    expect(next).toMatchObject({
      planId: OTHER_PLAN,
      status: 'draft',
      regie: { casusregisseur: null },
    });
  });

  it("ignores another plan's events and events before any plan", () => {
    const opened = plans([{ type: 'gezinsplan.PlanOpened', data: { planId: PLAN } }]);
    const stray: PlanEventView = {
      type: 'gezinsplan.RegieAssigned',
      data: { planId: OTHER_PLAN, role: 'casusregie', holder: omar },
    };
    expect(foldPlanFacts(opened, stray)).toBe(opened);
    expect(foldPlanFacts(null, stray)).toBeNull();
    expect(
      foldPlanFacts(opened, { type: 'gezinsplan.PlanClosed', data: { planId: OTHER_PLAN } }),
    ).toBe(opened);
  });
});

describe('the privacy lens folds escalation holders as the escalation aggregate does', () => {
  const raised: EscalationEventView = {
    type: 'escalation.SignalRaised',
    data: { escalationId: ESC, familyId: FAMILY, holder: sanne },
  };

  it('starts open at level 0 with the casusregisseur, or no holder while casusregie is vacant', () => {
    expect(escalation([raised])).toEqual({
      familyId: FAMILY,
      level: 0,
      status: 'open',
      holderId: sanne.professionalId,
    });
    expect(
      escalation([{ ...raised, data: { ...raised.data, holder: null } }])?.holderId,
    ).toBeNull();
  });

  it('follows escalation, appointment, resolution and reopening at the level it ended on', () => {
    const up: EscalationEventView[] = [
      raised,
      { type: 'escalation.Escalated', data: { escalationId: ESC, toLevel: 1, holder: null } },
    ];
    expect(escalation(up)).toMatchObject({ level: 1, holderId: null, status: 'open' });
    const appointed: EscalationEventView[] = [
      ...up,
      { type: 'escalation.HolderAppointed', data: { escalationId: ESC, holder: pim } },
    ];
    expect(escalation(appointed)).toMatchObject({ level: 1, holderId: pim.professionalId });
    const resolved = [...appointed, { type: 'escalation.Resolved', data: { escalationId: ESC } }];
    expect(escalation(resolved as EscalationEventView[])?.status).toBe('resolved');
    const reopened = escalation([
      ...(resolved as EscalationEventView[]),
      { type: 'escalation.Reopened', data: { escalationId: ESC, level: 1 } },
    ]);
    // The holder of the level keeps it after a reopening.
    expect(reopened).toEqual({
      familyId: FAMILY,
      level: 1,
      status: 'open',
      holderId: pim.professionalId,
    });
    expect(
      escalation([...up, { type: 'escalation.Withdrawn', data: { escalationId: ESC } }])?.status,
    ).toBe('withdrawn');
    // A standing procesregisseur holds the new level at once.
    expect(
      escalation([
        raised,
        { type: 'escalation.Escalated', data: { escalationId: ESC, toLevel: 1, holder: pim } },
      ])?.holderId,
    ).toBe(pim.professionalId);
  });

  it('knows nothing of an escalation whose signal it never saw', () => {
    expect(
      foldEscalationFacts(undefined, {
        type: 'escalation.HolderAppointed',
        data: { escalationId: ESC, holder: pim },
      }),
    ).toBeUndefined();
  });
});

describe('the privacy lens folds members, case team and consents as the family view does', () => {
  const registered: FamilyEventAsWritten = {
    type: 'family.FamilyRegistered',
    data: {
      familyId: FAMILY,
      teamId: 'team-1',
      members: [
        { memberId: 'm-1', role: 'parent', personal: 'sealed:1' },
        { memberId: 'm-2', role: 'child', personal: 'sealed:2' },
      ],
      network: [{ networkId: 'n-1', relation: 'oma', personal: 'sealed:n' }],
      address: 'sealed:address',
    },
  };

  it('keeps members sealed, in order, with departures as a status', () => {
    const facts = family([
      registered,
      {
        type: 'family.MemberAdded',
        data: { familyId: FAMILY, memberId: 'm-3', role: 'other', personal: 'sealed:3' },
      },
      { type: 'family.MemberDeparted', data: { familyId: FAMILY, memberId: 'm-1' } },
      {
        type: 'family.NetworkMemberAdded',
        data: { familyId: FAMILY, networkId: 'n-2', relation: 'buur', personal: 'sealed:n2' },
      },
      { type: 'family.AddressChanged', data: { familyId: FAMILY, address: 'sealed:new' } },
    ]);
    expect(facts.teamId).toBe('team-1');
    expect(facts.members).toEqual([
      { memberId: 'm-1', role: 'parent', status: 'departed', personal: 'sealed:1' },
      { memberId: 'm-2', role: 'child', status: 'current', personal: 'sealed:2' },
      { memberId: 'm-3', role: 'other', status: 'current', personal: 'sealed:3' },
    ]);
    // Network and address are not the lens's facts.
    expect(JSON.stringify(facts)).not.toContain('sealed:n');
    expect(JSON.stringify(facts)).not.toContain('address');
  });

  it('lists the case team as it joined and consents until they are withdrawn', () => {
    const consent = {
      familyId: FAMILY,
      consentId: 'c-1',
      memberId: 'm-1',
      grantee: { organisation: 'GGD' },
      lifeDomain: 'health',
      purpose: 'zorg',
      until: null,
      grantedAt: '2027-01-04T10:00:00.000Z',
    };
    const facts = family([
      registered,
      {
        type: 'family.ProfessionalJoinedCaseTeam',
        data: { familyId: FAMILY, ...sanne, discipline: 'SLT', lifeDomains: ['health'] },
      },
      { type: 'family.ConsentGranted', data: consent },
      { type: 'family.ConsentGranted', data: { ...consent, consentId: 'c-2' } },
      {
        type: 'family.ConsentWithdrawn',
        data: { familyId: FAMILY, consentId: 'c-1', memberId: 'm-1', withdrawnAt: '2027-01-05' },
      },
    ]);
    expect(facts.caseTeam).toEqual([{ ...sanne, discipline: 'SLT', lifeDomains: ['health'] }]);
    const { familyId: _, ...grant } = consent;
    expect(facts.consents).toEqual([
      { ...grant, withdrawn: true },
      { ...grant, consentId: 'c-2', withdrawn: false },
    ]);
  });
});
