import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { Decider } from '#libs/deciders/decider.js';
import type {
  DecidedEmergencyAccessEvent,
  EmergencyAccessEvent,
  EmergencyAccessGranted,
  EmergencyAccessReviewed,
  EmergencySubject,
} from './emergency-access.events.js';

export interface EmergencyAccessState {
  readonly granted?: Omit<EmergencyAccessGranted['data'], 'accessId'>;
  readonly review?: Omit<EmergencyAccessReviewed['data'], 'accessId'>;
}

/** Pure fold of an emergency access's events. */
export function evolveEmergencyAccess(
  state: EmergencyAccessState,
  event: EmergencyAccessEvent,
): EmergencyAccessState {
  switch (event.type) {
    case 'emergency.AccessGranted': {
      const { accessId: _, ...granted } = event.data;
      return { granted };
    }
    case 'emergency.AccessReviewed': {
      const { accessId: _, ...review } = event.data;
      return { ...state, review };
    }
  }
}

/** Everything a decision needs besides the access's state. */
export interface EmergencyAccessContext {
  readonly now: Date;
  /** How long a grant lasts (EMERGENCY_ACCESS_HOURS). */
  readonly accessHours: number;
  /** What the grant's search of the blind index found; empty is an answer too. */
  readonly found: readonly string[];
}

/** The texts are plaintext when a command comes in: they are sealed after the decision. */
export type EmergencyAccessCommand =
  | {
      type: 'GrantEmergencyAccess';
      accessId: string;
      professional: { userId: string; name: string; organisation: string };
      subject: EmergencySubject;
      reason: string;
    }
  | {
      type: 'ReviewEmergencyAccess';
      accessId: string;
      justified: boolean;
      note: string;
      reviewedBy: string;
    };

const HOUR_MS = 3_600_000;

/** Breaking the glass: granted once for a few hours, and reviewed once. */
export function decideEmergencyAccess(
  command: EmergencyAccessCommand,
  state: EmergencyAccessState,
  ctx: EmergencyAccessContext,
): DecidedEmergencyAccessEvent[] {
  const { accessId } = command;
  switch (command.type) {
    case 'GrantEmergencyAccess': {
      if (state.granted) throw new DomainConflict(`Emergency access ${accessId} already exists`);
      const { subject, reason, professional } = command;
      const until = new Date(ctx.now.getTime() + ctx.accessHours * HOUR_MS);
      return [
        {
          type: 'emergency.AccessGranted',
          data: {
            accessId,
            ...professional,
            subjectKind: 'bsn' in subject ? 'bsn' : 'address',
            subject,
            reason,
            familyIds: ctx.found,
            grantedAt: ctx.now.toISOString(),
            until: until.toISOString(),
          },
        },
      ];
    }
    case 'ReviewEmergencyAccess': {
      // Reviewed once: a verdict on breaking the glass is not silently re-made.
      if (!state.granted) throw new DomainConflict(`No emergency access ${accessId}`);
      if (state.review) throw new DomainConflict('This emergency access was already reviewed');
      const { justified, note, reviewedBy } = command;
      return [
        {
          type: 'emergency.AccessReviewed',
          data: { accessId, justified, note, reviewedBy, reviewedAt: ctx.now.toISOString() },
        },
      ];
    }
  }
}

/** One break of the glass: stream `emergency-access-<accessId>`. */
export const emergencyAccessDecider: Decider<
  EmergencyAccessState,
  EmergencyAccessCommand,
  EmergencyAccessEvent,
  DecidedEmergencyAccessEvent,
  EmergencyAccessContext
> = {
  category: 'emergency-access',
  snapshotVersion: 1,
  label: 'emergency access',
  initialState: {},
  evolve: evolveEmergencyAccess,
  decide: decideEmergencyAccess,
};
