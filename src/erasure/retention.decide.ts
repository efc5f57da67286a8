import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import type { RetentionEvent } from './erasure.events.js';

/** The shape of the snapshots already stored (snapshotVersion 1): change it only with a bump. */
export interface RetentionState {
  readonly expired?: { readonly closedAt: string; readonly subjects: readonly string[] };
}

export function evolveRetention(_: RetentionState, event: RetentionEvent): RetentionState {
  return { expired: { closedAt: event.data.closedAt, subjects: event.data.subjects } };
}

export type RetentionCommand = {
  type: 'ExpireRetention';
  familyId: string;
  closedAt: string;
  /** Whose keys are destroyed; a subject named twice is recorded once. */
  subjects: readonly string[];
};

/** Expires once: a second run finds it recorded and only finishes destroying the keys. */
export function decideRetention(
  command: RetentionCommand,
  state: RetentionState,
): RetentionEvent[] {
  switch (command.type) {
    case 'ExpireRetention': {
      const { familyId, closedAt, subjects } = command;
      if (state.expired) {
        throw new DomainConflict(`The retention period of family ${familyId} already ran out`);
      }
      return [
        {
          type: 'erasure.RetentionExpired',
          data: { familyId, closedAt, subjects: [...new Set(subjects)] },
        },
      ];
    }
  }
}

/**
 * The end of a closed case's retention period, recorded once per family: stream
 * `retention-<familyId>`, created by its only event. Nothing in it is personal data.
 */
export const retentionDecider: Decider<
  RetentionState,
  RetentionCommand,
  RetentionEvent,
  RetentionEvent,
  void
> = {
  category: 'retention',
  snapshotVersion: 1,
  label: 'retention period',
  initialState: {},
  evolve: evolveRetention,
  decide: decideRetention,
};
