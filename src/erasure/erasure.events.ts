import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';

/**
 * Erasure on request (privacy.md, "Citizen rights"; AVG art. 17, Jeugdwet art. 7.3.9) and by
 * retention. The free texts are sealed with the family's key, never the member's: the request,
 * its decision and its reasons stay readable after the member's own key is destroyed (until the
 * retention period destroys the family's key as well).
 */
export type ErasureRequested = DomainEvent<
  'erasure.ErasureRequested',
  {
    readonly requestId: string;
    readonly familyId: string;
    readonly memberId: string;
    /** Sealed with the familyId's key. */
    readonly reason: string;
    /** User id (token `sub`) of the member or of the professional acting on their behalf. */
    readonly requestedBy: string;
  }
>;

/** Granted by the privacy officer: the keys of `subjects` are destroyed (crypto-shredding). */
export type ErasureGranted = DomainEvent<
  'erasure.ErasureGranted',
  {
    readonly requestId: string;
    readonly familyId: string;
    readonly memberId: string;
    /** Sealed with the familyId's key. */
    readonly reason: string;
    readonly decidedBy: string;
    /** Whose keys are destroyed: the member (subject = memberId). */
    readonly subjects: readonly string[];
  }
>;

/** Refused because a legal duty to keep applies; the refusal states that legal reason. */
export type ErasureRefused = DomainEvent<
  'erasure.ErasureRefused',
  {
    readonly requestId: string;
    readonly familyId: string;
    readonly memberId: string;
    /** Sealed with the familyId's key. */
    readonly legalReason: string;
    readonly decidedBy: string;
  }
>;

/**
 * The retention period of a closed case ran out: the keys of every member, every network member
 * and the family itself (plan and escalation texts) are destroyed. Stream `retention-<familyId>`,
 * appended once.
 */
export type RetentionExpired = DomainEvent<
  'erasure.RetentionExpired',
  {
    readonly familyId: string;
    /** The closure of the plan the period ran from. */
    readonly closedAt: string;
    readonly subjects: readonly string[];
  }
>;

export type ErasureRequestEvent = ErasureRequested | ErasureGranted | ErasureRefused;
export type RetentionEvent = RetentionExpired;

export const ERASURE_EVENT_TYPES = [
  'erasure.ErasureRequested',
  'erasure.ErasureGranted',
  'erasure.ErasureRefused',
  'erasure.RetentionExpired',
] as const satisfies readonly (ErasureRequestEvent | RetentionEvent)['type'][];
