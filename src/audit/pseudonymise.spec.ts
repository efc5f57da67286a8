import { describe, expect, it } from '@jest/globals';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { sealErasureRequestEvent } from '../erasure/erasure.service.js';
import { sealEscalationEvent } from '../escalations/escalation-command.service.js';
import { sealFamilyEvent } from '../families/family.command.js';
import { sealPlanEvent } from '../plans/plan.command.js';
import { pseudonymise, SEALED_MARK } from './pseudonymise.js';

// Ciphertext as the capabilities' own seal functions write it: what the audit must never show.
const cipher = async (value: unknown) => `pd1:${JSON.stringify(value)}` as Sealed;
const SECRET = 'GEHEIM';

async function storedEvents() {
  const goal = {
    goalId: 'g-1',
    familyWording: `${SECRET} goal`,
    professionalWording: `${SECRET} wording`,
    concerns: ['m-1'],
    lifeDomain: 'housing',
    targetDate: null,
    confidentiality: 'case_team',
    lifecycleStatus: 'active',
    achievementStatus: 'in_progress',
  } as const;
  return [
    await sealFamilyEvent(
      {
        type: 'family.FamilyRegistered',
        data: {
          familyId: 'f-1',
          teamId: 't-1',
          members: [
            {
              memberId: 'm-1',
              role: 'parent',
              personal: { givenName: SECRET, familyName: SECRET, dateOfBirth: '1990-01-01' },
            },
          ],
          network: [{ networkId: 'n-1', relation: 'buurvrouw', personal: { name: SECRET } }],
          address: { postcode: '1354AB', houseNumber: SECRET },
        },
      },
      'f-1',
      (_, value) => cipher(value),
    ),
    await sealFamilyEvent(
      { type: 'family.MemberDeparted', data: { familyId: 'f-1', memberId: 'm-1', reason: SECRET } },
      'f-1',
      (_, value) => cipher(value),
    ),
    await sealPlanEvent({ type: 'gezinsplan.GoalAdded', data: { planId: 'p-1', goal } }, cipher),
    await sealEscalationEvent(
      {
        type: 'escalation.SignalRaised',
        data: {
          escalationId: 'e-1',
          familyId: 'f-1',
          teamId: 't-1',
          signalId: 's-1',
          category: 'waiting_list',
          description: SECRET,
          automatic: false,
          cause: null,
          raisedBy: 'prof-1',
          holder: null,
          deadlines: {
            respondBy: '2027-01-02T00:00:00.000Z',
            resolveBy: '2027-01-09T00:00:00.000Z',
          },
          raisedAt: '2027-01-01T09:00:00.000Z',
        },
      },
      cipher,
    ),
    await sealErasureRequestEvent(
      {
        type: 'erasure.ErasureRefused',
        data: {
          requestId: 'r-1',
          familyId: 'f-1',
          memberId: 'm-1',
          legalReason: SECRET,
          decidedBy: 'po-1',
        },
      },
      cipher,
    ),
  ];
}

describe("the auditor's pseudonymised event data", () => {
  it('hides every field its event type declares sealed, and only those', async () => {
    for (const event of await storedEvents()) {
      const shown = JSON.stringify(pseudonymise(event.type, event.data));
      expect([event.type, shown.includes(SECRET) || shown.includes('pd1:')]).toEqual([
        event.type,
        false,
      ]);
      expect(shown).toContain(SEALED_MARK);
    }
    const [registered, , goalAdded] = await storedEvents();
    expect(pseudonymise(registered.type, registered.data)).toEqual({
      familyId: 'f-1',
      teamId: 't-1',
      members: [{ memberId: 'm-1', role: 'parent', personal: SEALED_MARK }],
      network: [{ networkId: 'n-1', relation: 'buurvrouw', personal: SEALED_MARK }],
      address: SEALED_MARK,
    });
    expect(pseudonymise(goalAdded.type, goalAdded.data)).toMatchObject({
      goal: { goalId: 'g-1', familyWording: SEALED_MARK, lifeDomain: 'housing', concerns: ['m-1'] },
    });
  });

  it('shows plain text that looks like ciphertext where nothing is declared sealed', () => {
    const data = { familyId: 'f-1', memberId: 'pd1:not-a-secret' };
    expect(pseudonymise('family.MemberCameOfAge', data)).toEqual(data);
  });

  it('shows no data at all of an event type that declares nothing', () => {
    expect(pseudonymise('family.SomethingNew', { name: SECRET })).toEqual({});
  });
});
