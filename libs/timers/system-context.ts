import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../aggregates/aggregate-repository.js';
import type { DueTimer } from './timer.js';

/** Events a timer causes are the system's own, caused by that timer (for the audit trail). */
export function systemContext(timer: DueTimer): CommandContext {
  return {
    actor: { userId: 'system', name: 'Eén gezin, één plan', role: 'system' },
    correlationId: randomUUID(),
    causationId: `timer:${timer.timerId}@${timer.dueAt.toISOString()}`,
  };
}
