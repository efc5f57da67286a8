import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../event-envelope.js';

/** A test event with complete metadata; `n` makes payloads distinguishable. */
export function testEvent(type = 'test.Happened', data: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      correlationId: randomUUID(),
      actor: { userId: 'tester', organisation: 'Test', role: 'professional' },
      occurredAt: new Date().toISOString(),
      municipality: 'almere',
    },
  };
}

export function testStream(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}
