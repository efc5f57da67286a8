import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository } from '../../libs/aggregates/aggregate-repository.js';
import { ageOn, birthdayOfAge, toDateString } from '../../libs/clock/calendar.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import type { RecordedEvent } from '../../libs/event-store/event-envelope.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { dateOfBirthOf } from './date-of-birth.js';
import { systemContext } from '../../libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '../../libs/timers/timer.js';
import { FamilyType, findMember } from './family.aggregate.js';
import type { FamilyEvent } from './family.events.js';

const KIND = 'family.came-of-age';
const ADULT = 18;
const timerId = (memberId: string) => `came-of-age:${memberId}`;

/**
 * Schedules each minor's 18th birthday. The date of birth is sealed, so the rule opens it; an
 * erased member gets no timer. A member who is already an adult when added gets none either.
 */
@Injectable()
export class CameOfAgeRule implements TimerRule {
  readonly eventTypes = [
    'family.FamilyRegistered',
    'family.MemberAdded',
    'family.MemberDeparted',
    'family.MemberCameOfAge',
  ];

  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & FamilyEvent;
    const since = toDateString(new Date(recorded.metadata.occurredAt));
    switch (event.type) {
      case 'family.FamilyRegistered':
        for (const m of event.data.members)
          await this.schedule(event.data.familyId, m, since, timers);
        return;
      case 'family.MemberAdded':
        return this.schedule(event.data.familyId, event.data, since, timers);
      case 'family.MemberDeparted':
      case 'family.MemberCameOfAge':
        return timers.cancel(timerId(event.data.memberId));
    }
  }

  private async schedule(
    familyId: string,
    member: { memberId: string; personal: string },
    since: string,
    timers: TimerOps,
  ): Promise<void> {
    const dateOfBirth = await dateOfBirthOf(this.vault, member.personal);
    if (!dateOfBirth) return;
    const birthday = birthdayOfAge(dateOfBirth, ADULT);
    if (birthday <= since) return;
    await timers.schedule({
      timerId: timerId(member.memberId),
      kind: KIND,
      dueAt: new Date(`${birthday}T00:00:00Z`),
      payload: { familyId, memberId: member.memberId },
    });
  }
}

/** Records MemberCameOfAge, once, for a member who is still in the family and 18 by the clock. */
@Injectable()
export class CameOfAgeHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { familyId, memberId } = timer.payload as { familyId: string; memberId: string };
    const family = await this.repository.load(FamilyType, familyId);
    const member = findMember(family.currentState, memberId);
    if (!member) return;
    const dateOfBirth = await dateOfBirthOf(this.vault, member.personal);
    if (!dateOfBirth) return;
    const age = ageOn(dateOfBirth, this.clock.now());
    // Early (clocks disagree): fail, so the timer is tried again after a back-off.
    if (age < ADULT) throw new Error(`Member ${memberId} is not ${ADULT} yet`);
    if (family.recordComingOfAge(memberId, age)) {
      await this.repository.save(family, FamilyType, systemContext(timer));
    }
  }
}
