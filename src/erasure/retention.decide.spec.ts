import { describe, expect, it } from '@jest/globals';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import { retentionDecider, type RetentionCommand } from './retention.decide.js';
import type { RetentionEvent } from './erasure.events.js';
import { retentionEnds } from './retention.timer.js';

const spec = deciderSpec(retentionDecider);
const CLOSED_AT = '2026-01-01T10:00:00.000Z';
const expire = (subjects: readonly string[]): RetentionCommand => ({
  type: 'ExpireRetention',
  familyId: 'family-1',
  closedAt: CLOSED_AT,
  subjects,
});
const expired: RetentionEvent = {
  type: 'erasure.RetentionExpired',
  data: { familyId: 'family-1', closedAt: CLOSED_AT, subjects: ['m1', 'm2', 'n1', 'family-1'] },
};

describe('the retention decider', () => {
  it('expires once, naming each subject once', () => {
    spec
      .given([])
      .when(expire(['m1', 'm2', 'n1', 'family-1', 'm1']), undefined)
      .then([expired]);
    const state = [expired].reduce(retentionDecider.evolve, retentionDecider.initialState);
    expect(state.expired).toEqual({
      closedAt: CLOSED_AT,
      subjects: ['m1', 'm2', 'n1', 'family-1'],
    });
    spec.given([expired]).when(expire([]), undefined).thenFails(DomainConflict);
    expect(retentionDecider).toMatchObject({ category: 'retention', snapshotVersion: 1 });
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
