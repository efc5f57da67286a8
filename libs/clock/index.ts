/** The one source of "now" for the domain, so tests and the dev clock endpoint can move time. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * System time plus an offset that only moves forward. Used in development mode and tests; the
 * offset lives in memory, so a restarted dev server starts at the real time again.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(start?: Date) {
    if (start) this.set(start);
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(to: Date): Date {
    this.offsetMs = Math.max(this.offsetMs, to.getTime() - Date.now());
    return this.now();
  }

  advanceDays(days: number): Date {
    this.offsetMs += Math.max(0, days) * 24 * 60 * 60 * 1000;
    return this.now();
  }
}
