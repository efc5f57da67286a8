import { describe, expect, it } from '@jest/globals';
import { DomainConflict, DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import {
  ErasureRequestType,
  evolveErasureRequest,
  INITIAL_ERASURE_REQUEST_STATE,
  MIN_LEGAL_REASON_LENGTH,
  RetentionType,
  type SealedText,
} from './erasure-request.aggregate.js';
import type { ErasureRequestEvent } from './erasure.events.js';
import { retentionEnds } from './retention.timer.js';

const sealed = (text: string): SealedText => ({ text, sealed: `pd1:family-1:${text.length}` });
const LEGAL = 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar';

function requested(id = 'req-1') {
  const request = ErasureRequestType.create(id);
  request.request({
    familyId: 'family-1',
    memberId: 'member-1',
    reason: sealed('Ik wil dat mijn gegevens weg zijn'),
    requestedBy: 'citizen-1',
  });
  return request;
}

const types = (events: readonly ErasureRequestEvent[]) => events.map((e) => e.type);

describe('ErasureRequest', () => {
  it('records the request with the reason sealed, open until decided', () => {
    const request = requested();
    expect(request.getUncommittedEvents()).toEqual([
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
    expect(request.status).toBe('open');
  });

  it('refuses a second request in the same stream and an empty reason', () => {
    expect(() =>
      requested().request({
        familyId: 'family-1',
        memberId: 'member-1',
        reason: sealed('again'),
        requestedBy: 'x',
      }),
    ).toThrow(DomainConflict);
    expect(() =>
      ErasureRequestType.create('r').request({
        familyId: 'f',
        memberId: 'm',
        reason: sealed('  '),
        requestedBy: 'x',
      }),
    ).toThrow(DomainRuleViolation);
  });

  it("grants by destroying the member's own key, once", () => {
    const request = requested();
    request.grant(sealed('Geen bewaarplicht meer'), 'officer-1');
    expect(request.getUncommittedEvents()[1]).toEqual({
      type: 'erasure.ErasureGranted',
      data: {
        requestId: 'req-1',
        familyId: 'family-1',
        memberId: 'member-1',
        reason: 'pd1:family-1:22',
        decidedBy: 'officer-1',
        subjects: ['member-1'],
      },
    });
    expect(request.currentState).toMatchObject({ status: 'granted', subjects: ['member-1'] });
    expect(() => request.grant(sealed('nogmaals'), 'officer-1')).toThrow(DomainConflict);
    expect(() => request.refuse(sealed(LEGAL), 'officer-1')).toThrow(DomainConflict);
  });

  it('refuses only with a legal reason of at least 20 characters, and then only once', () => {
    const request = requested();
    const short = 'x'.repeat(MIN_LEGAL_REASON_LENGTH - 1);
    expect(() => request.refuse(sealed(short), 'officer-1')).toThrow(DomainRuleViolation);
    expect(() => request.refuse(sealed(`   ${short}   `), 'officer-1')).toThrow(
      DomainRuleViolation,
    );
    request.refuse(sealed(LEGAL), 'officer-1');
    expect(types(request.getUncommittedEvents())).toEqual([
      'erasure.ErasureRequested',
      'erasure.ErasureRefused',
    ]);
    expect(request.status).toBe('refused');
    expect(() => request.grant(sealed('toch wel'), 'officer-1')).toThrow(DomainConflict);
  });

  it('cannot decide a request that was never made', () => {
    expect(() => ErasureRequestType.create('none').grant(sealed('x'), 'o')).toThrow(DomainConflict);
  });

  it('replays to the same state as it decided', () => {
    const request = requested();
    request.grant(sealed('Geen bewaarplicht meer'), 'officer-1');
    const replayed = request
      .getUncommittedEvents()
      .reduce(evolveErasureRequest, INITIAL_ERASURE_REQUEST_STATE);
    expect(replayed).toEqual(request.currentState);
  });
});

describe('Retention', () => {
  it('expires once, naming each subject once', () => {
    const retention = RetentionType.create('family-1');
    retention.expire('2026-01-01T10:00:00.000Z', ['m1', 'm2', 'n1', 'family-1', 'm1']);
    expect(retention.expired).toEqual({
      closedAt: '2026-01-01T10:00:00.000Z',
      subjects: ['m1', 'm2', 'n1', 'family-1'],
    });
    expect(() => retention.expire('2026-01-01T10:00:00.000Z', [])).toThrow(DomainConflict);
  });

  it('runs whole calendar years from the closure', () => {
    expect(retentionEnds('2026-03-10T12:00:00.000Z', 20).toISOString()).toBe(
      '2046-03-10T12:00:00.000Z',
    );
    expect(retentionEnds('2028-02-29T00:00:00.000Z', 20).toISOString()).toBe(
      '2048-02-29T00:00:00.000Z',
    );
    expect(retentionEnds('2028-02-29T00:00:00.000Z', 1).toISOString()).toBe(
      '2029-03-01T00:00:00.000Z',
    );
  });
});
