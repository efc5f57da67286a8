import { describe, expect, it } from '@jest/globals';
import { DomainConflict, DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import {
  erasureRequestDecider,
  MIN_LEGAL_REASON_LENGTH,
  type ErasureRequestCommand,
} from './erasure-request.decide.js';
import { evolveErasureRequest } from './erasure-request.evolve.js';
import type { DecidedErasureRequestEvent, ErasureRequestEvent } from './erasure.events.js';
import { sealErasureRequestEvent } from './erasure.service.js';

const spec = deciderSpec(erasureRequestDecider);
const LEGAL = 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar';
const REASON = 'Ik wil dat mijn gegevens weg zijn';
const GROUND = 'Geen bewaarplicht meer';

/** A stand-in for the vault: sealed with the family's key, the length shows which text. */
const seal = (event: DecidedErasureRequestEvent) =>
  sealErasureRequestEvent(
    event,
    async (text) => `pd1:${event.data.familyId}:${text.length}` as Sealed,
  );
/** The decider's own fold, which reads no text: decided and stored events fold alike. */
const fold = (events: readonly ErasureRequestEvent<string>[]) =>
  events.reduce(evolveErasureRequest, erasureRequestDecider.initialState);

const request = (reason = REASON, requestId = 'req-1'): ErasureRequestCommand => ({
  type: 'RequestErasure',
  requestId,
  familyId: 'family-1',
  memberId: 'member-1',
  reason,
  requestedBy: 'citizen-1',
});
const grant = (reason: string, requestId = 'req-1'): ErasureRequestCommand => ({
  type: 'GrantErasure',
  requestId,
  reason,
  decidedBy: 'officer-1',
});
const refuse = (legalReason: string): ErasureRequestCommand => ({
  type: 'RefuseErasure',
  requestId: 'req-1',
  legalReason,
  decidedBy: 'officer-1',
});

/** As stored: the reasons sealed. */
const requested: ErasureRequestEvent = {
  type: 'erasure.ErasureRequested',
  data: {
    requestId: 'req-1',
    familyId: 'family-1',
    memberId: 'member-1',
    reason: 'pd1:family-1:33' as Sealed,
    requestedBy: 'citizen-1',
  },
};
const granted: ErasureRequestEvent = {
  type: 'erasure.ErasureGranted',
  data: {
    requestId: 'req-1',
    familyId: 'family-1',
    memberId: 'member-1',
    reason: 'pd1:family-1:22' as Sealed,
    decidedBy: 'officer-1',
    subjects: ['member-1'],
  },
};
const refused: ErasureRequestEvent = {
  type: 'erasure.ErasureRefused',
  data: {
    requestId: 'req-1',
    familyId: 'family-1',
    memberId: 'member-1',
    legalReason: `pd1:family-1:${LEGAL.length}` as Sealed,
    decidedBy: 'officer-1',
  },
};

describe('the erasure request decider', () => {
  it('records the request with the reason sealed, open until decided', async () => {
    spec
      .given([])
      .when(request(), undefined)
      .then([{ ...requested, data: { ...requested.data, reason: REASON } }]);
    const events = spec.given([]).when(request(), undefined).events();
    expect(await Promise.all(events.map(seal))).toEqual([
      {
        type: 'erasure.ErasureRequested',
        data: {
          requestId: 'req-1',
          familyId: 'family-1',
          memberId: 'member-1',
          reason: 'pd1:family-1:33',
          requestedBy: 'citizen-1',
        },
      },
    ]);
    expect(fold(events).status).toBe('open');
  });

  it('refuses a second request in the same stream and an empty reason', () => {
    spec.given([requested]).when(request('again'), undefined).thenFails(DomainConflict);
    spec.given([]).when(request('  ', 'r'), undefined).thenFails(DomainRuleViolation);
  });

  it("grants by destroying the member's own key, once", async () => {
    const decided = spec.given([requested]).when(grant(GROUND), undefined).events();
    expect(await Promise.all(decided.map(seal))).toEqual([
      {
        type: 'erasure.ErasureGranted',
        data: {
          requestId: 'req-1',
          familyId: 'family-1',
          memberId: 'member-1',
          reason: 'pd1:family-1:22',
          decidedBy: 'officer-1',
          subjects: ['member-1'],
        },
      },
    ]);
    expect(fold([requested, ...decided])).toMatchObject({
      status: 'granted',
      subjects: ['member-1'],
    });
    spec.given([requested, granted]).when(grant('nogmaals'), undefined).thenFails(DomainConflict);
    spec.given([requested, granted]).when(refuse(LEGAL), undefined).thenFails(DomainConflict);
  });

  it('refuses only with a legal reason of at least 20 characters, and then only once', () => {
    const short = 'x'.repeat(MIN_LEGAL_REASON_LENGTH - 1);
    spec.given([requested]).when(refuse(short), undefined).thenFails(DomainRuleViolation);
    spec
      .given([requested])
      .when(refuse(`   ${short}   `), undefined)
      .thenFails(DomainRuleViolation);
    spec
      .given([requested])
      .when(refuse(LEGAL), undefined)
      .then([{ ...refused, data: { ...refused.data, legalReason: LEGAL } }]);
    expect(fold([requested, refused]).status).toBe('refused');
    spec.given([requested, refused]).when(grant('toch wel'), undefined).thenFails(DomainConflict);
  });

  it('cannot decide a request that was never made', () => {
    spec.given([]).when(grant('x', 'none'), undefined).thenFails(DomainConflict);
  });

  it('folds the stored events to the state it decided, in the snapshots already stored', async () => {
    const decided = spec.given([requested]).when(grant(GROUND), undefined).events();
    const stored = await Promise.all(decided.map(seal));
    const state = {
      status: 'granted',
      familyId: 'family-1',
      memberId: 'member-1',
      subjects: ['member-1'],
    };
    expect(fold([requested, ...decided])).toEqual(state);
    expect(fold([requested, ...stored])).toEqual(state);
    expect(stored).toEqual([granted]);
    expect(erasureRequestDecider).toMatchObject({
      category: 'erasure',
      snapshotVersion: 1,
      evolve: evolveErasureRequest,
    });
  });
});
