import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { ConcernCommandService } from './concern.command.js';
import { decideConcern, retentionEnd, type ConcernCommand } from './concern.decide.js';
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
 * Records ConcernDestroyed, then shreds the concern's key (its id). The record comes first: a
 * key must never be gone without a record of why. A run that finds the concern destroyed but
 * was interrupted before the shred (a crash, a lost connection) shreds again; shredding a
 * shredded key is a no-op.
 */
@Injectable()
export class ConcernRetentionHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(ConcernCommandService) private readonly service: ConcernCommandService,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { concernId } = timer.payload as { concernId: string };
    const state = await this.service.load(concernId);
    if (!state.concern) return;
    if (state.concern.status === 'destroyed') {
      await this.vault.shred(concernId);
      return;
    }
    const command: ConcernCommand = { type: 'Destroy' };
    // Not due (reopened, linked, closed again later): the pipeline would refuse an empty decision.
    if (decideConcern(command, state, this.service.decisionContext()).length === 0) return;
    // A concurrent run makes this append fail; the timer's retry then finds it destroyed.
    await this.service.run(concernId, command, systemContext(timer), () => {});
    await this.vault.shred(concernId);
  }
}
