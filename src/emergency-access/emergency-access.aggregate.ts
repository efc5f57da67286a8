import {
  EventSourcedAggregate,
  type AggregateType,
} from '../../libs/aggregates/event-sourced-aggregate.js';
import { DomainConflict } from '../../libs/aggregates/domain-errors.js';
import type {
  EmergencyAccessEvent,
  EmergencyAccessGranted,
  EmergencyAccessReviewed,
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

export class EmergencyAccess extends EventSourcedAggregate<
  EmergencyAccessState,
  EmergencyAccessEvent
> {
  protected initialState(): EmergencyAccessState {
    return {};
  }

  protected evolve(state: EmergencyAccessState, event: EmergencyAccessEvent) {
    return evolveEmergencyAccess(state, event);
  }

  get isGranted(): boolean {
    return this.state.granted !== undefined;
  }

  grant(access: Omit<EmergencyAccessGranted['data'], 'accessId'>): void {
    if (this.state.granted) throw new DomainConflict(`Emergency access ${this.id} already exists`);
    this.apply({ type: 'emergency.AccessGranted', data: { accessId: this.id, ...access } });
  }

  /** Reviewed once: a verdict on breaking the glass is not silently re-made. */
  review(review: Omit<EmergencyAccessReviewed['data'], 'accessId'>): void {
    if (!this.state.granted) throw new DomainConflict(`No emergency access ${this.id}`);
    if (this.state.review) throw new DomainConflict('This emergency access was already reviewed');
    this.apply({ type: 'emergency.AccessReviewed', data: { accessId: this.id, ...review } });
  }
}

export const EmergencyAccessType: AggregateType<EmergencyAccess> = {
  category: 'emergency-access',
  snapshotVersion: 1,
  create: (accessId) => new EmergencyAccess(accessId),
};
