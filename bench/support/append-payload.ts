import { randomBytes, randomUUID } from 'node:crypto';
import type { EventMetadata } from '#libs/event-store/event-envelope.js';

/** The event B1 appends to every subject: one stream-independent shape, so rows compare. */
export interface BenchEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

export const EVENT_TYPE = 'gezinsplan.ProgressNoteAdded';

/**
 * A note text as the vault stores it (`pd1:<subject>:<base64 of iv, tag and AES-GCM body>`):
 * 120 characters of note give 148 sealed bytes. Made once per writer, since the cost of sealing
 * is the command's, not the store's.
 */
export function sealedNoteText(familyId: string): string {
  return `pd1:${familyId}:${randomBytes(12 + 16 + 120).toString('base64')}`;
}

/** What a gezinsplan.ProgressNoteAdded written by AggregateRepository.save looks like. */
export function progressNoteEvent(
  familyId: string,
  planId: string,
  sealedText: string,
): BenchEvent {
  const now = new Date().toISOString();
  const eventId = randomUUID();
  return {
    eventId,
    type: EVENT_TYPE,
    data: {
      planId,
      note: {
        noteId: randomUUID(),
        goalId: randomUUID(),
        text: sealedText,
        confidentiality: 'case_team',
        evaluation: false,
        writtenAt: now,
        authorId: 'prof-sanne',
      },
    },
    metadata: {
      eventId,
      correlationId: randomUUID(),
      actor: {
        userId: 'prof-sanne',
        name: 'Sanne de Vries',
        organisation: 'SLT Haven',
        role: 'professional',
      },
      occurredAt: now,
      municipality: 'almere',
    },
  };
}

/** Bytes of data and metadata as JSON, for the report. */
export function payloadSizes(event: BenchEvent): { data: number; metadata: number } {
  return {
    data: Buffer.byteLength(JSON.stringify(event.data)),
    metadata: Buffer.byteLength(JSON.stringify(event.metadata)),
  };
}
