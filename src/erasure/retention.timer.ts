import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { WrongExpectedVersionError } from '#libs/event-store/errors.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { FamilyType } from '../families/family.aggregate.js';
import { GezinsplanType } from '../plans/plan.aggregate.js';
import type { PlanClosed, PlanOpened } from '../plans/plan.events.js';
import { RetentionType } from './erasure-request.aggregate.js';

const KIND = 'erasure.retention';
export const retentionTimerId = (familyId: string) => `retention:${familyId}`;

const familyIdOf = (streamId: string) => streamId.slice('gezinsplan-'.length);

/** closedAt plus whole calendar years (29 February rolls over to 1 March). */
export function retentionEnds(closedAt: string, years: number): Date {
  const end = new Date(closedAt);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end;
}

/**
 * Retention (Jeugdwet, privacy.md): a closed case's personal data is destroyed RETENTION_YEARS
 * after the plan was closed. A new plan reopens the case and cancels the timer; closing that one
 * starts the period again.
 */
@Injectable()
export class RetentionRule implements TimerRule {
  readonly eventTypes = ['gezinsplan.PlanClosed', 'gezinsplan.PlanOpened'];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & (PlanClosed | PlanOpened);
    const familyId = familyIdOf(recorded.streamId);
    if (event.type === 'gezinsplan.PlanOpened') return timers.cancel(retentionTimerId(familyId));
    await timers.schedule({
      timerId: retentionTimerId(familyId),
      kind: KIND,
      dueAt: retentionEnds(event.data.closedAt, this.config.RETENTION_YEARS),
      payload: { familyId, planId: event.data.planId, closedAt: event.data.closedAt },
    });
  }
}

/**
 * Records RetentionExpired once and destroys the keys of every member, every network member and
 * the family itself, if the family's current plan is still the one closed at that moment.
 * A run that finds RetentionExpired already recorded only finishes destroying the keys.
 */
@Injectable()
export class RetentionHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { familyId, closedAt } = timer.payload as { familyId: string; closedAt: string };
    const plans = await this.repository.tryLoad(GezinsplanType, familyId);
    const plan = plans?.plan;
    if (plan?.status !== 'closed' || plan.closedAt !== closedAt) return;
    const retention =
      (await this.repository.tryLoad(RetentionType, familyId)) ?? RetentionType.create(familyId);
    let subjects = retention.expired?.subjects;
    if (!subjects) {
      const family = await this.repository.tryLoad(FamilyType, familyId);
      const state = family?.currentState;
      subjects = [
        ...(state?.members.map((m) => m.memberId) ?? []),
        ...(state?.networkIds ?? []),
        familyId,
      ];
      retention.expire(closedAt, subjects);
      try {
        await this.repository.save(retention, RetentionType, systemContext(timer));
      } catch (error) {
        // Another run recorded it first: destroy the keys it names.
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        subjects = (await this.repository.load(RetentionType, familyId)).expired!.subjects;
      }
    }
    for (const subject of subjects) await this.vault.shred(subject);
  }
}
