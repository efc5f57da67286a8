import { describe, expect, it } from '@jest/globals';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import {
  emergencyAccessDecider,
  type EmergencyAccessCommand,
  type EmergencyAccessContext,
} from './emergency-access.decide.js';
import type { EmergencyAccessEvent } from './emergency-access.events.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const ctx: EmergencyAccessContext = { now: NOW, accessHours: 4, found: ['family-1'] };
const spec = deciderSpec(emergencyAccessDecider);
const professional = { userId: 'prof-1', name: 'Sanne', organisation: 'SLT Haven' };
const reason = 'Melding van acute onveiligheid, casusregisseur onbereikbaar';

const grant = (subject: { bsn: string } | { postcode: string; houseNumber: string }) =>
  ({
    type: 'GrantEmergencyAccess',
    accessId: 'access-1',
    professional,
    subject,
    reason,
  }) satisfies EmergencyAccessCommand;
const review: EmergencyAccessCommand = {
  type: 'ReviewEmergencyAccess',
  accessId: 'access-1',
  justified: true,
  note: 'Terecht',
  reviewedBy: 'po-1',
};
/** As stored: the subject and texts sealed (stand-ins here, the rules never read them). */
const granted: EmergencyAccessEvent = {
  type: 'emergency.AccessGranted',
  data: {
    accessId: 'access-1',
    ...professional,
    subjectKind: 'bsn',
    subject: 'pd1:access-1:s' as Sealed,
    reason: 'pd1:access-1:r' as Sealed,
    familyIds: ['family-1'],
    grantedAt: NOW.toISOString(),
    until: '2026-11-22T14:00:00.000Z',
  },
};
const reviewed: EmergencyAccessEvent = {
  type: 'emergency.AccessReviewed',
  data: {
    accessId: 'access-1',
    justified: true,
    note: 'pd1:access-1:n' as Sealed,
    reviewedBy: 'po-1',
    reviewedAt: NOW.toISOString(),
  },
};

describe('the emergency access decider', () => {
  it('grants the families found for EMERGENCY_ACCESS_HOURS, what was searched still plaintext', () => {
    spec
      .given([])
      .when(grant({ bsn: '111222333' }), ctx)
      .then([
        {
          type: 'emergency.AccessGranted',
          data: {
            ...granted.data,
            subject: { bsn: '111222333' },
            reason,
          },
        },
      ]);
    const [byAddress] = spec
      .given([])
      .when(grant({ postcode: '1354AB', houseNumber: '12' }), { ...ctx, found: [] })
      .events();
    expect(byAddress.data).toMatchObject({ subjectKind: 'address', familyIds: [] });
  });

  it('grants once per access', () => {
    spec
      .given([granted])
      .when(grant({ bsn: '111222333' }), ctx)
      .thenFails(DomainConflict);
  });

  it('is reviewed once, and only once granted', () => {
    spec
      .given([granted])
      .when(review, ctx)
      .then([{ ...reviewed, data: { ...reviewed.data, note: 'Terecht' } }]);
    spec
      .given([granted, reviewed])
      .when(review, ctx)
      .thenFails(DomainConflict, /already reviewed/);
    spec
      .given([])
      .when(review, ctx)
      .thenFails(DomainConflict, /No emergency access/);
  });

  it('folds the grant and its review', () => {
    const state = [granted, reviewed].reduce(
      emergencyAccessDecider.evolve,
      emergencyAccessDecider.initialState,
    );
    const { accessId: _g, ...grant } = granted.data;
    const { accessId: _r, ...verdict } = reviewed.data;
    expect(state).toEqual({ granted: grant, review: verdict });
    expect(emergencyAccessDecider).toMatchObject({
      category: 'emergency-access',
      snapshotVersion: 1,
    });
  });
});
