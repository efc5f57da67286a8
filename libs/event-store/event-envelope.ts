import type { Position } from './position.js';

/** Who caused an event: the authenticated user and the capacity they acted in. */
export interface Actor {
  readonly userId: string;
  readonly name?: string;
  readonly organisation?: string;
  readonly role?: string;
}

export interface EventMetadata {
  readonly eventId: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly actor: Actor;
  /** The person a professional acted for (a parent for a child, a casusregisseur for a family). */
  readonly onBehalfOf?: string;
  readonly occurredAt: string;
  readonly municipality: string;
}

/**
 * What a caller appends. `type` is a stable name such as `family.FamilyRegistered`; it never
 * depends on a class name, because @nestjs/cqrs routes by constructor name and a rename would
 * orphan every stored event.
 */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** A stored event, upcast to the current schema version of its type. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  /** 0-based version of the event inside its stream. */
  readonly streamVersion: number;
  readonly position: Position;
  readonly recordedAt: string;
}

/** The full, versioned name used in logs, exports and the audit trail: `family.FamilyRegistered.v1`. */
export function qualifiedTypeName(event: Pick<RecordedEvent, 'type' | 'schemaVersion'>): string {
  return `${event.type}.v${event.schemaVersion}`;
}
