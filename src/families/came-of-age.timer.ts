import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { ageOn, toDateString } from '#libs/clock/calendar.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { DAY_BEGAN, type DayBegan } from '#libs/timers/day-calendar.events.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { ADULT } from './came-of-age.projection.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';
import { FamilyCommandService } from './family.command.js';
import { decideFamily, type FamilyCommand } from './family.decide.js';
import { findMember } from './family.evolve.js';
import { FamilyStates } from './family-states.js';

const KIND = 'family.came-of-age-sweep';
const SWEEP = 'came-of-age-sweep';
/** How long a sweep waits for its read model to fold the day before it fails (and is retried). */
const WAIT_MS = 5_000;

/**
 * One timer for everyone, on each day the calendar records, instead of one per minor on the
 * birthday (whose due moment would be the birthday in plaintext): who came of age that day is
 * in the came-of-age read model, marked by the projection from the same day event.
 */
@Injectable()
export class CameOfAgeRule implements TimerRule {
  readonly eventTypes = [DAY_BEGAN];

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const { date } = (recorded as unknown as DayBegan).data;
    await timers.schedule({
      timerId: SWEEP,
      kind: KIND,
      dueAt: new Date(`${date}T00:00:00Z`),
      payload: {},
    });
  }
}

/**
 * Records MemberCameOfAge, once, for each member the read model marks due who is still in the
 * family and 18 by the clock. A member the read model marks by mistake (it lags behind a
 * departure, say) is decided on its stream like any other, so nothing is recorded twice.
 */
@Injectable()
export class CameOfAgeHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(FamilyStates) private readonly families: FamilyStates,
    @Inject(FamilyCommandService) private readonly commands: FamilyCommandService,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    await this.sweptThrough(toDateString(timer.dueAt));
    const due: Array<{ family_id: string; member_id: string }> = await this.dataSource.query(
      'SELECT family_id, member_id FROM came_of_age_minors WHERE due ORDER BY member_id',
    );
    const early: string[] = [];
    for (const { family_id, member_id } of due) {
      if (!(await this.record(timer, family_id, member_id))) early.push(member_id);
    }
    // Early (clocks disagree): the others are recorded; fail, so these are tried again.
    if (early.length > 0) throw new Error(`Members ${early.join(', ')} are not ${ADULT} yet`);
  }

  /** False when the member is not 18 by this server's clock yet. */
  private async record(timer: DueTimer, familyId: string, memberId: string): Promise<boolean> {
    const state = await this.families.get(familyId);
    const member = findMember(state, memberId);
    if (!member) return true;
    const dateOfBirth = await dateOfBirthOf(this.vault, member.personal);
    if (!dateOfBirth) return true;
    const age = ageOn(dateOfBirth, this.clock.now());
    if (age < ADULT) return false;
    const command: FamilyCommand = { type: 'RecordComingOfAge', memberId, age };
    // Nothing (left) to record: the birthday is recorded already (the timer fired late or
    // twice) or the member left. The pipeline refuses a command that changes nothing, so it is
    // asked first; a change in between only fails this run, and the retry finds nothing to do.
    if (decideFamily(command, state, { familyId }).length === 0) return true;
    // The system acts: nobody's access is checked.
    await this.commands.pipe(familyId, memberContext(timer, memberId), command, async () => {});
    return true;
  }

  /** Waits until the read model has folded the day the timer is for (it follows on its own). */
  private async sweptThrough(day: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const rows: Array<{ last_day: string }> = await this.dataSource.query(
        'SELECT last_day::text AS last_day FROM came_of_age_clock WHERE id = 1',
      );
      if (rows[0] && rows[0].last_day >= day) return;
      if (Date.now() >= deadline)
        throw new Error(`The came-of-age read model has not swept ${day}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Caused by the sweep, for one member: the audit trail names whose coming of age it was. */
function memberContext(timer: DueTimer, memberId: string): CommandContext {
  return {
    ...systemContext(timer),
    causationId: `timer:came-of-age:${memberId}@${timer.dueAt.toISOString()}`,
  };
}
