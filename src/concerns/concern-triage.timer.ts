import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { ConcernCommandService } from './concern.command.js';
import type { ConcernEvent } from './concern.events.js';

const KIND = 'concern.triage-deadline';
export const triageTimerId = (concernId: string) => `concern-triage:${concernId}`;

/**
 * A timer at each concern's triage deadline, from the moment it arrives until intake takes it
 * up, dismisses it or it is destroyed (concerns.md "Deadlines"). Cancelling is only tidiness:
 * the handler asks the decider whether the deadline still matters.
 */
@Injectable()
export class ConcernTriageRule implements TimerRule {
  readonly eventTypes = [
    'concern.ConcernReceived',
    'concern.ConcernTakenUp',
    'concern.ConcernDismissed',
    'concern.ConcernDestroyed',
  ];

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ConcernEvent;
    const { concernId } = event.data;
    if (event.type !== 'concern.ConcernReceived') return timers.cancel(triageTimerId(concernId));
    await timers.schedule({
      timerId: triageTimerId(concernId),
      kind: KIND,
      dueAt: new Date(event.data.triageDueAt),
      payload: { concernId, dueAt: event.data.triageDueAt },
    });
  }
}

/** The deadline passed: if nobody took the concern up, TriageOverdue is recorded, once. */
@Injectable()
export class ConcernTriageHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async fire(timer: DueTimer): Promise<void> {
    const { concernId, dueAt } = timer.payload as { concernId: string; dueAt: string };
    // A concern taken up in time, or already reported overdue (a second instance, a retry),
    // decides nothing: then nothing is recorded.
    await this.service.runIfDue(
      concernId,
      { type: 'PassTriageDeadline', dueAt },
      systemContext(timer),
    );
  }
}
