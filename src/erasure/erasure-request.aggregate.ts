import {
  EventSourcedAggregate,
  type AggregateType,
} from '#libs/aggregates/event-sourced-aggregate.js';
import { DomainConflict, DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { ErasureRequestEvent, RetentionEvent } from './erasure.events.js';

/** A refusal must state the legal duty to keep, not just "no": at least this many characters. */
export const MIN_LEGAL_REASON_LENGTH = 20;

/** Free text as typed (for the rules about it) and as stored (sealed with the family's key). */
export interface SealedText {
  readonly text: string;
  readonly sealed: string;
}

export type ErasureStatus = 'open' | 'granted' | 'refused';

export interface ErasureRequestState {
  readonly status?: ErasureStatus;
  readonly familyId?: string;
  readonly memberId?: string;
  /** Whose keys a grant destroys. */
  readonly subjects: readonly string[];
}

export const INITIAL_ERASURE_REQUEST_STATE: ErasureRequestState = Object.freeze({ subjects: [] });

/** Pure fold of a request's events; shared by the aggregate and its tests. */
export function evolveErasureRequest(
  state: ErasureRequestState,
  event: ErasureRequestEvent,
): ErasureRequestState {
  switch (event.type) {
    case 'erasure.ErasureRequested':
      return {
        status: 'open',
        familyId: event.data.familyId,
        memberId: event.data.memberId,
        subjects: [],
      };
    case 'erasure.ErasureGranted':
      return { ...state, status: 'granted', subjects: event.data.subjects };
    case 'erasure.ErasureRefused':
      return { ...state, status: 'refused' };
  }
}

/**
 * One member's request to have their personal data destroyed, decided once by the privacy
 * officer. Stream `erasure-<requestId>`. The aggregate records the decision; destroying the key
 * happens after the decision is stored (see erasure.commands.ts and erasure-shred.timer.ts).
 */
export class ErasureRequest extends EventSourcedAggregate<
  ErasureRequestState,
  ErasureRequestEvent
> {
  protected initialState(): ErasureRequestState {
    return INITIAL_ERASURE_REQUEST_STATE;
  }

  protected evolve(state: ErasureRequestState, event: ErasureRequestEvent): ErasureRequestState {
    return evolveErasureRequest(state, event);
  }

  get status(): ErasureStatus | undefined {
    return this.state.status;
  }

  request(request: {
    familyId: string;
    memberId: string;
    reason: SealedText;
    requestedBy: string;
  }): void {
    if (this.state.status) throw new DomainConflict(`Erasure request ${this.id} already exists`);
    if (request.reason.text.trim() === '') {
      throw new DomainRuleViolation('State why the data should be erased', 'reason');
    }
    this.apply({
      type: 'erasure.ErasureRequested',
      data: {
        requestId: this.id,
        familyId: request.familyId,
        memberId: request.memberId,
        reason: request.reason.sealed,
        requestedBy: request.requestedBy,
      },
    });
  }

  /** Destroys the member's own key: subject = memberId. */
  grant(reason: SealedText, decidedBy: string): void {
    const { familyId, memberId } = this.assertOpen();
    if (reason.text.trim() === '') {
      throw new DomainRuleViolation('State the ground for the erasure', 'reason');
    }
    this.apply({
      type: 'erasure.ErasureGranted',
      data: {
        requestId: this.id,
        familyId,
        memberId,
        reason: reason.sealed,
        decidedBy,
        subjects: [memberId],
      },
    });
  }

  /** Only where a legal duty to keep applies, and the refusal says which. */
  refuse(legalReason: SealedText, decidedBy: string): void {
    const { familyId, memberId } = this.assertOpen();
    if (legalReason.text.trim().length < MIN_LEGAL_REASON_LENGTH) {
      throw new DomainRuleViolation(
        `A refusal states the legal duty to keep the data (at least ${MIN_LEGAL_REASON_LENGTH} ` +
          "characters), e.g. 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar'",
        'reason',
      );
    }
    this.apply({
      type: 'erasure.ErasureRefused',
      data: { requestId: this.id, familyId, memberId, legalReason: legalReason.sealed, decidedBy },
    });
  }

  private assertOpen(): { familyId: string; memberId: string } {
    const { status, familyId, memberId } = this.state;
    if (!status || !familyId || !memberId) {
      throw new DomainConflict(`Erasure request ${this.id} does not exist`);
    }
    if (status !== 'open') {
      throw new DomainConflict(`This erasure request was already decided: ${status}`);
    }
    return { familyId, memberId };
  }
}

export const ErasureRequestType: AggregateType<ErasureRequest> = {
  category: 'erasure',
  snapshotVersion: 1,
  create: (requestId) => new ErasureRequest(requestId),
};

export interface RetentionState {
  readonly expired?: { readonly closedAt: string; readonly subjects: readonly string[] };
}

/**
 * The end of a closed case's retention period, recorded once per family: stream
 * `retention-<familyId>` is created by its only event, so a second timer run or a second server
 * finds it there (WrongExpectedVersion) and only finishes destroying the keys.
 */
export class Retention extends EventSourcedAggregate<RetentionState, RetentionEvent> {
  protected initialState(): RetentionState {
    return {};
  }

  protected evolve(_: RetentionState, event: RetentionEvent): RetentionState {
    return { expired: { closedAt: event.data.closedAt, subjects: event.data.subjects } };
  }

  get expired(): RetentionState['expired'] {
    return this.state.expired;
  }

  expire(closedAt: string, subjects: readonly string[]): void {
    if (this.state.expired) {
      throw new DomainConflict(`The retention period of family ${this.id} already ran out`);
    }
    this.apply({
      type: 'erasure.RetentionExpired',
      data: { familyId: this.id, closedAt, subjects: [...new Set(subjects)] },
    });
  }
}

export const RetentionType: AggregateType<Retention> = {
  category: 'retention',
  snapshotVersion: 1,
  create: (familyId) => new Retention(familyId),
};
