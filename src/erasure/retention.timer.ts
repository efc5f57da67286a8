import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { WrongExpectedVersionError } from '#libs/event-store/errors.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { FamilyStates } from '../families/family-states.js';
import { PlanStates } from '../plans/plan-states.js';
import type { PlanClosed, PlanOpened } from '../plans/plan.events.js';
import { retentionDecider } from './retention.decide.js';

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
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PlanStates) private readonly plans: PlanStates,
    @Inject(FamilyStates) private readonly families: FamilyStates,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { familyId, closedAt } = timer.payload as { familyId: string; closedAt: string };
    const plan = await this.plans.latest(familyId);
    if (plan?.status !== 'closed' || plan.closedAt !== closedAt) return;
    // Checked first: the decider refuses a second expiry, and a retry must still shred.
    const subjects =
      (await this.recorded(familyId)) ?? (await this.expire(timer, familyId, closedAt));
    for (const subject of subjects) await this.vault.shred(subject);
  }

  private async recorded(familyId: string): Promise<readonly string[] | undefined> {
    return (await this.repository.loadState(retentionDecider, familyId))?.state.expired?.subjects;
  }

  private async expire(
    timer: DueTimer,
    familyId: string,
    closedAt: string,
  ): Promise<readonly string[]> {
    const family = await this.families.find(familyId);
    const subjects = [
      ...(family?.members.map((m) => m.memberId) ?? []),
      ...(family?.networkIds ?? []),
      familyId,
    ];
    try {
      const { state } = await this.pipeline.run({
        decider: retentionDecider,
        id: familyId,
        command: { type: 'ExpireRetention', familyId, closedAt, subjects },
        context: systemContext(timer),
        // The system acts on its own timer; nothing of a retention period is personal data.
        authorize: async () => {},
        seal: async (event) => event,
      });
      return state.expired!.subjects;
    } catch (error) {
      // Another run recorded it first (after the check, or between load and append): destroy
      // the keys it names.
      if (!(error instanceof WrongExpectedVersionError || error instanceof DomainConflict)) {
        throw error;
      }
      const recorded = await this.recorded(familyId);
      if (!recorded) throw error;
      return recorded;
    }
  }
}
