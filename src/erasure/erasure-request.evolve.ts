import type { ErasureRequestEvent } from './erasure.events.js';

export type ErasureStatus = 'open' | 'granted' | 'refused';

/** The shape of the snapshots already stored (snapshotVersion 1): change it only with a bump. */
export interface ErasureRequestState {
  readonly status?: ErasureStatus;
  readonly familyId?: string;
  readonly memberId?: string;
  /** Whose keys a grant destroys. */
  readonly subjects: readonly string[];
}

export const INITIAL_ERASURE_REQUEST_STATE: ErasureRequestState = Object.freeze({ subjects: [] });

/** Pure fold of a request's events; it reads no text, so sealed or plain makes no difference. */
export function evolveErasureRequest(
  state: ErasureRequestState,
  event: ErasureRequestEvent<string>,
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
