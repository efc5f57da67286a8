import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { ConcernCommandService } from './concern.command.js';
import { retentionEnd } from './concern.decide.js';
import type { ConcernEvent } from './concern.events.js';

const KIND = 'concern.retention';
export const concernRetentionTimerId = (concernId: string) => `concern-retention:${concernId}`;

/**
 * A concern that closed without reaching a family is destroyed CONCERN_RETENTION_MONTHS after
 * it closed (concerns.md "Privacy"). Reopening it, or linking it to or registering a family from
 * it, takes the timer away; closing it again starts the period anew.
 */
@Injectable()
export class ConcernRetentionRule implements TimerRule {
  readonly eventTypes = [
    'concern.ConcernDismissed',
    'concern.ConcernClosed',
    'concern.ConcernReopened',
    'concern.ConcernLinked',
    'concern.FamilyRegisteredFromConcern',
  ];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ConcernEvent;
    const { concernId } = event.data;
    if (event.type !== 'concern.ConcernDismissed' && event.type !== 'concern.ConcernClosed') {
      return timers.cancel(concernRetentionTimerId(concernId));
    }
    await timers.schedule({
      timerId: concernRetentionTimerId(concernId),
      kind: KIND,
      dueAt: retentionEnd(event.data.at, this.config.CONCERN_RETENTION_MONTHS),
      payload: { concernId },
    });
  }
}

/**
 * Destroys the concern when its retention period is over (not when it was reopened, linked or
 * closed again later: then Destroy decides nothing), shredding its key after the record.
 */
@Injectable()
export class ConcernRetentionHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(@Inject(ConcernCommandService) private readonly service: ConcernCommandService) {}

  async fire(timer: DueTimer): Promise<void> {
    const { concernId } = timer.payload as { concernId: string };
    await this.service.destroy(concernId, { type: 'Destroy' }, systemContext(timer));
  }
}
