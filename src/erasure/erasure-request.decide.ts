import { DomainConflict, DomainRuleViolation } from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import type { DecidedErasureRequestEvent, ErasureRequestEvent } from './erasure.events.js';
import {
  evolveErasureRequest,
  INITIAL_ERASURE_REQUEST_STATE,
  type ErasureRequestState,
} from './erasure-request.evolve.js';

/** A refusal must state the legal duty to keep, not just "no": at least this many characters. */
export const MIN_LEGAL_REASON_LENGTH = 20;

/** The texts are plaintext when a command comes in: they are sealed after the decision. */
export type ErasureRequestCommand =
  | {
      type: 'RequestErasure';
      requestId: string;
      familyId: string;
      memberId: string;
      reason: string;
      requestedBy: string;
    }
  | { type: 'GrantErasure'; requestId: string; reason: string; decidedBy: string }
  | { type: 'RefuseErasure'; requestId: string; legalReason: string; decidedBy: string };

/**
 * One member's request to have their personal data destroyed, decided once by the privacy
 * officer. Recording the decision is all it does: the key is destroyed after the decision is
 * stored (erasure.service.ts, erasure-shred.timer.ts).
 */
export function decideErasureRequest(
  command: ErasureRequestCommand,
  state: ErasureRequestState,
): DecidedErasureRequestEvent[] {
  const { requestId } = command;
  switch (command.type) {
    case 'RequestErasure': {
      if (state.status) throw new DomainConflict(`Erasure request ${requestId} already exists`);
      const { familyId, memberId, reason, requestedBy } = command;
      if (reason.trim() === '') {
        throw new DomainRuleViolation('State why the data should be erased', 'reason');
      }
      return [
        {
          type: 'erasure.ErasureRequested',
          data: { requestId, familyId, memberId, reason, requestedBy },
        },
      ];
    }
    case 'GrantErasure': {
      const { familyId, memberId } = assertOpen(requestId, state);
      if (command.reason.trim() === '') {
        throw new DomainRuleViolation('State the ground for the erasure', 'reason');
      }
      const { reason, decidedBy } = command;
      // Destroys the member's own key: subject = memberId.
      return [
        {
          type: 'erasure.ErasureGranted',
          data: { requestId, familyId, memberId, reason, decidedBy, subjects: [memberId] },
        },
      ];
    }
    case 'RefuseErasure': {
      const { familyId, memberId } = assertOpen(requestId, state);
      // Only where a legal duty to keep applies, and the refusal says which.
      if (command.legalReason.trim().length < MIN_LEGAL_REASON_LENGTH) {
        throw new DomainRuleViolation(
          `A refusal states the legal duty to keep the data (at least ${MIN_LEGAL_REASON_LENGTH} ` +
            "characters), e.g. 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar'",
          'reason',
        );
      }
      const { legalReason, decidedBy } = command;
      return [
        {
          type: 'erasure.ErasureRefused',
          data: { requestId, familyId, memberId, legalReason, decidedBy },
        },
      ];
    }
  }
}

function assertOpen(
  requestId: string,
  { status, familyId, memberId }: ErasureRequestState,
): { familyId: string; memberId: string } {
  if (!status || !familyId || !memberId) {
    throw new DomainConflict(`Erasure request ${requestId} does not exist`);
  }
  if (status !== 'open') {
    throw new DomainConflict(`This erasure request was already decided: ${status}`);
  }
  return { familyId, memberId };
}

/**
 * An erasure request: stream `erasure-<requestId>`, with the category and snapshot version of
 * the streams and snapshots already stored. The decision needs nothing besides the state.
 */
export const erasureRequestDecider: Decider<
  ErasureRequestState,
  ErasureRequestCommand,
  ErasureRequestEvent,
  DecidedErasureRequestEvent,
  void
> = {
  category: 'erasure',
  snapshotVersion: 1,
  label: 'erasure request',
  initialState: INITIAL_ERASURE_REQUEST_STATE,
  evolve: evolveErasureRequest,
  decide: decideErasureRequest,
};
