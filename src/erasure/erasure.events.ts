import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { SealedFieldsOf } from '#libs/personal-data/sealed-fields.js';

/**
 * Erasure on request (privacy.md, "Citizen rights"; AVG art. 17, Jeugdwet art. 7.3.9) and by
 * retention. The free texts are sealed with the family's key, never the member's: the request,
 * its decision and its reasons stay readable after the member's own key is destroyed (until the
 * retention period destroys the family's key as well). The events of a request are generic in
 * them: `string` as `decide` makes them, Sealed as they are stored (sealErasureRequestEvent in
 * erasure.service.ts seals them in between).
 */
export type ErasureRequested<Text extends string = Sealed> = DomainEvent<
  'erasure.ErasureRequested',
  {
    readonly requestId: string;
    readonly familyId: string;
    readonly memberId: string;
    /** Sealed with the familyId's key. */
    readonly reason: Text;
    /** User id (token `sub`) of the member or of the professional acting on their behalf. */
    readonly requestedBy: string;
  }
>;

/** Granted by the privacy officer: the keys of `subjects` are destroyed (crypto-shredding). */
export type ErasureGranted<Text extends string = Sealed> = DomainEvent<
  'erasure.ErasureGranted',
  {
    readonly requestId: string;
    readonly familyId: string;
    readonly memberId: string;
    /** Sealed with the familyId's key. */
    readonly reason: Text;
    readonly decidedBy: string;
    /** Whose keys are destroyed: the member (subject = memberId). */
    readonly subjects: readonly string[];
  }
>;

/** Refused because a legal duty to keep applies; the refusal states that legal reason. */
export type ErasureRefused<Text extends string = Sealed> = DomainEvent<
  'erasure.ErasureRefused',
  {
    readonly requestId: string;
    readonly familyId: string;
    readonly memberId: string;
    /** Sealed with the familyId's key. */
    readonly legalReason: Text;
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

export type ErasureRequestEvent<Text extends string = Sealed> =
  ErasureRequested<Text> | ErasureGranted<Text> | ErasureRefused<Text>;
/** A request's event as `decide` makes it: its reason still plaintext. */
export type DecidedErasureRequestEvent = ErasureRequestEvent<string>;
/** Names the people whose keys are destroyed, by id: nothing in it is sealed. */
export type RetentionEvent = RetentionExpired;
export type ErasureEvent = ErasureRequestEvent | RetentionEvent;

export const ERASURE_EVENT_TYPES = [
  'erasure.ErasureRequested',
  'erasure.ErasureGranted',
  'erasure.ErasureRefused',
  'erasure.RetentionExpired',
] as const satisfies readonly ErasureEvent['type'][];

/** What of each stored erasure event is sealed: the audit hides exactly these (checked by type). */
export const ERASURE_SEALED_FIELDS: SealedFieldsOf<ErasureEvent> = {
  'erasure.ErasureRequested': { reason: true },
  'erasure.ErasureGranted': { reason: true },
  'erasure.ErasureRefused': { legalReason: true },
  'erasure.RetentionExpired': {},
};
