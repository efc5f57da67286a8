import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { erasureRequestDecider } from './erasure-request.decide.js';
import type { ErasureGranted } from './erasure.events.js';

const KIND = 'erasure.shred';
export const shredTimerId = (requestId: string) => `erasure-shred:${requestId}`;

/**
 * The decision is stored before the key is destroyed (a crash in between must not leave a key
 * destroyed without a record of why). The command handler destroys the key right after the
 * append; this timer, due at once, finishes the job when that was interrupted.
 */
@Injectable()
export class ErasureShredRule implements TimerRule {
  readonly eventTypes = ['erasure.ErasureGranted'];

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ErasureGranted;
    await timers.schedule({
      timerId: shredTimerId(event.data.requestId),
      kind: KIND,
      dueAt: new Date(recorded.metadata.occurredAt),
      payload: { requestId: event.data.requestId },
    });
  }
}

/**
 * Destroys the keys of a granted request's subjects; destroying a destroyed key is a no-op.
 * It records nothing, so it runs no command: it only reads the request's stream.
 */
@Injectable()
export class ErasureShredHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { requestId } = timer.payload as { requestId: string };
    const request = (await this.repository.loadState(erasureRequestDecider, requestId))?.state;
    if (request?.status !== 'granted') return;
    for (const subject of request.subjects) await this.vault.shred(subject);
  }
}
