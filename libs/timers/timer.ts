import type { RecordedEvent } from '../event-store/event-envelope.js';

/**
 * A moment at which something must be looked at again (a deadline). The moment is stored in
 * plaintext: never a personal date such as a birthday (see the day calendar instead).
 */
export interface TimerRequest {
  /**
   * Stable id of what the timer is about (`erasure-shred:<requestId>`). Scheduling the same id
   * again moves it; a timer fires at most once per (id, due moment).
   */
  readonly timerId: string;
  readonly kind: string;
  readonly dueAt: Date;
  readonly payload: Record<string, unknown>;
}

export interface DueTimer extends TimerRequest {
  /** 1 on the first try; higher when an earlier try failed or its process died. */
  readonly attempt: number;
}

/** What a timer rule may do while the timers projection folds an event. */
export interface TimerOps {
  schedule(timer: TimerRequest): Promise<void>;
  cancel(timerId: string): Promise<void>;
}

/**
 * Derives timers from events, inside the timers projection: a rule is pure with respect to the
 * read model (same events, same timers), so a rebuild schedules the same timers again.
 */
export interface TimerRule {
  readonly eventTypes: readonly string[];
  on(event: RecordedEvent, timers: TimerOps): Promise<void>;
}

/**
 * Acts when a timer is due. A timer is only a wake-up call: the handler must ask the aggregate
 * whether the thing is still due (a birthday not yet recorded, a deadline not yet met), so a
 * timer that fires twice (a crash after acting, two instances) has its effect once.
 */
export interface TimerHandler {
  readonly kind: string;
  fire(timer: DueTimer): Promise<void>;
}

export const TIMER_RULES = Symbol('TIMER_RULES');
export const TIMER_HANDLERS = Symbol('TIMER_HANDLERS');
