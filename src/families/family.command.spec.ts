import { describe, expect, it } from '@jest/globals';
import { replaceAt } from '#libs/personal-data/sealed-fields.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { sealFamilyEvent } from './family.command.js';
import { FAMILY_SEALED_FIELDS, type DecidedFamilyEvent } from './family.events.js';

/** Records with which key each value was sealed. */
const sealedWith = async (subjectId: string, value: unknown) =>
  `pd1:${subjectId}:${JSON.stringify(value)}` as Sealed;
const seal = (event: DecidedFamilyEvent) => sealFamilyEvent(event, 'f-1', sealedWith);

const sara = { givenName: 'Sara', familyName: 'Jansen', dateOfBirth: '1990-04-02' };
const address = { postcode: '1354AB', houseNumber: '12' };

describe('sealing a decided family event', () => {
  it('seals each member and network member with their own key, the address with the family’s', async () => {
    const sealed = await seal({
      type: 'family.FamilyRegistered',
      data: {
        familyId: 'f-1',
        teamId: 'team-1',
        members: [{ memberId: 'm-1', role: 'parent', personal: sara }],
        network: [{ networkId: 'n-1', relation: 'grandmother', personal: { name: 'Oma' } }],
        address,
      },
    });

    expect(sealed).toEqual({
      type: 'family.FamilyRegistered',
      data: {
        familyId: 'f-1',
        teamId: 'team-1',
        members: [{ memberId: 'm-1', role: 'parent', personal: `pd1:m-1:${JSON.stringify(sara)}` }],
        network: [
          { networkId: 'n-1', relation: 'grandmother', personal: 'pd1:n-1:{"name":"Oma"}' },
        ],
        address: `pd1:f-1:${JSON.stringify(address)}`,
      },
    });
  });

  it('seals a departure reason as the member’s, and leaves out a reason not given', async () => {
    const departed = (reason?: string): DecidedFamilyEvent => ({
      type: 'family.MemberDeparted',
      data: { familyId: 'f-1', memberId: 'm-1', ...(reason === undefined ? {} : { reason }) },
    });

    expect((await seal(departed('Verhuisd'))).data).toEqual({
      familyId: 'f-1',
      memberId: 'm-1',
      reason: 'pd1:m-1:{"reason":"Verhuisd"}',
    });
    expect(Object.keys((await seal(departed())).data)).toEqual(['familyId', 'memberId']);
  });

  it('seals an added member, network member and address likewise; the rest stays as decided', async () => {
    const added = await seal({
      type: 'family.MemberAdded',
      data: { familyId: 'f-1', memberId: 'm-2', role: 'child', personal: sara },
    });
    const network = await seal({
      type: 'family.NetworkMemberAdded',
      data: { familyId: 'f-1', networkId: 'n-2', relation: 'buurvrouw', personal: { name: 'Ans' } },
    });
    const moved = await seal({ type: 'family.AddressChanged', data: { familyId: 'f-1', address } });
    const cameOfAge: DecidedFamilyEvent = {
      type: 'family.MemberCameOfAge',
      data: { familyId: 'f-1', memberId: 'm-2' },
    };

    expect(added.data).toEqual({
      familyId: 'f-1',
      memberId: 'm-2',
      role: 'child',
      personal: `pd1:m-2:${JSON.stringify(sara)}`,
    });
    expect(network.data).toMatchObject({ personal: 'pd1:n-2:{"name":"Ans"}' });
    expect(moved.data).toEqual({ familyId: 'f-1', address: `pd1:f-1:${JSON.stringify(address)}` });
    expect(await seal(cameOfAge)).toBe(cameOfAge);
  });

  it('changes exactly the fields FAMILY_SEALED_FIELDS declares, each to sealed text', async () => {
    const decided: DecidedFamilyEvent[] = [
      {
        type: 'family.FamilyRegistered',
        data: {
          familyId: 'f-1',
          teamId: 'team-1',
          members: [{ memberId: 'm-1', role: 'parent', personal: sara }],
          network: [{ networkId: 'n-1', relation: 'oma', personal: { name: 'Oma' } }],
          address,
        },
      },
      {
        type: 'family.MemberAdded',
        data: { familyId: 'f-1', memberId: 'm-2', role: 'child', personal: sara },
      },
      {
        type: 'family.NetworkMemberAdded',
        data: { familyId: 'f-1', networkId: 'n-2', relation: 'buur', personal: { name: 'Ans' } },
      },
      { type: 'family.MemberDeparted', data: { familyId: 'f-1', memberId: 'm-1', reason: 'x' } },
      { type: 'family.AddressChanged', data: { familyId: 'f-1', address } },
    ];

    for (const event of decided) {
      const paths = Object.keys(FAMILY_SEALED_FIELDS[event.type]);
      const sealed = await seal(event);
      expect(replaceAt(sealed.data, paths, 'SEALED')).toEqual(
        replaceAt(event.data, paths, 'SEALED'),
      );
      // Every declared field was there to seal, and holds sealed text now.
      const count = (text: string, word: string) => text.split(word).length - 1;
      const declared = count(JSON.stringify(replaceAt(sealed.data, paths, 'SEALED')), 'SEALED');
      expect(declared).toBeGreaterThan(0);
      expect(count(JSON.stringify(sealed.data), '"pd1:')).toBe(declared);
    }
  });
});
