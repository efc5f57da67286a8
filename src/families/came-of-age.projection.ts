import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { birthdayOfAge, daysAfter, toDateString } from '#libs/clock/calendar.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { deleteRows, upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import { DAY_BEGAN, type DayBegan } from '#libs/timers/day-calendar.events.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';
import type { FamilyEvent } from './family.events.js';

export const ADULT = 18;
/** The kind of the blind index of the day a minor turns 18. */
export const TURNS_18 = 'came-of-age';

/**
 * The erasure events' published fields this projection folds (src/erasure imports this folder,
 * so the types are not imported from there): whose keys were destroyed, and of which family.
 */
type Erasure = {
  readonly type: 'erasure.ErasureGranted' | 'erasure.RetentionExpired';
  readonly data: { readonly familyId: string; readonly subjects: readonly string[] };
};

type Folded = FamilyEvent | DayBegan | Erasure;

interface MinorRow {
  member_id: string;
  family_id: string;
  turns_18: string;
  due: boolean;
}

const MINORS: BulkUpsert = {
  table: 'came_of_age_minors',
  columns: [
    { name: 'member_id', type: 'text' },
    { name: 'family_id', type: 'uuid' },
    { name: 'turns_18', type: 'text' },
    { name: 'due', type: 'boolean' },
  ],
  conflict: ['member_id'],
  update: ['family_id', 'turns_18', 'due'],
};

/** What one batch (one transaction) has folded and not yet written. */
interface Batch {
  /** The last day swept: the latest recorded day, or the date of the first event folded. */
  lastDay: string | null;
  lastDayChanged: boolean;
  readonly rows: Map<string, MinorRow>;
  readonly removed: Set<string>;
  readonly erasedFamilies: Set<string>;
}

/**
 * Keeps the minors whose 18th birthday is still to come (came_of_age_minors), so that the daily
 * sweep (came-of-age.timer.ts) finds who came of age without a timer on anyone's birthday: a
 * timer's due moment is plaintext, and a birthday reveals the date of birth. A row holds a keyed
 * blind index of the birthday, found by equality with the index of a day, and whether that day
 * has come (`due`). Adults when added, departed, erased and come-of-age members have no row.
 *
 * A recorded day (team.DashboardDayBegan, the day calendar of libs/timers) marks due the minors
 * whose birthday is one of the days after the last day swept, up to that day: the day is in the
 * history, so a rebuild marks the same rows. The first last day is the date of the first event
 * folded, before any minor's birthday (a minor added on a day turns 18 after it).
 */
@Injectable()
export class CameOfAgeProjection implements Projection {
  readonly name = 'came-of-age';
  readonly tables = ['came_of_age_minors', 'came_of_age_clock'];
  readonly eventTypes = [
    'family.FamilyRegistered',
    'family.MemberAdded',
    'family.MemberDeparted',
    'family.MemberCameOfAge',
    'erasure.ErasureGranted',
    'erasure.RetentionExpired',
    DAY_BEGAN,
  ];
  // Keyed by the transaction's manager: a rolled-back batch leaves nothing behind.
  private readonly batches = new WeakMap<EntityManager, Batch>();

  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const batch = await this.batchOf(manager);
    const event = recorded as unknown as RecordedEvent & Folded;
    const day = toDateString(new Date(recorded.metadata.occurredAt));
    if (batch.lastDay === null) {
      batch.lastDay = event.type === DAY_BEGAN ? event.data.date : day;
      batch.lastDayChanged = true;
    }
    switch (event.type) {
      case 'family.FamilyRegistered':
        await Promise.all(
          event.data.members.map((m) => this.addMinor(batch, event.data.familyId, m, day)),
        );
        return;
      case 'family.MemberAdded':
        return this.addMinor(batch, event.data.familyId, event.data, day);
      case 'family.MemberDeparted':
      case 'family.MemberCameOfAge':
        batch.rows.delete(event.data.memberId);
        batch.removed.add(event.data.memberId);
        return;
      case 'erasure.ErasureGranted':
        return this.erase(batch, event.data.subjects);
      case 'erasure.RetentionExpired':
        // The family's whole case is destroyed: its every member, listed or not.
        this.erase(batch, event.data.subjects);
        batch.erasedFamilies.add(event.data.familyId);
        for (const row of [...batch.rows.values()]) {
          if (row.family_id === event.data.familyId) batch.rows.delete(row.member_id);
        }
        return;
      case DAY_BEGAN:
        return this.sweep(manager, batch, event.data.date);
    }
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.get(manager);
    if (!batch) return;
    this.batches.delete(manager);
    await deleteRows(manager, 'came_of_age_minors', 'member_id', 'text', [...batch.removed]);
    await deleteRows(manager, 'came_of_age_minors', 'family_id', 'uuid', [...batch.erasedFamilies]);
    await upsertRows(manager, MINORS, [...batch.rows.values()]);
    if (batch.lastDayChanged) {
      await manager.query(
        `INSERT INTO came_of_age_clock (id, last_day) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET last_day = excluded.last_day`,
        [batch.lastDay],
      );
    }
  }

  private async batchOf(manager: EntityManager): Promise<Batch> {
    let batch = this.batches.get(manager);
    if (!batch) {
      const rows: Array<{ last_day: string }> = await manager.query(
        'SELECT last_day::text AS last_day FROM came_of_age_clock WHERE id = 1',
      );
      batch = {
        lastDay: rows[0]?.last_day ?? null,
        lastDayChanged: false,
        rows: new Map(),
        removed: new Set(),
        erasedFamilies: new Set(),
      };
      this.batches.set(manager, batch);
    }
    return batch;
  }

  /** A member who is a minor on the day of the event; one already erased is not known as one. */
  private async addMinor(
    batch: Batch,
    familyId: string,
    member: { memberId: string; personal: string },
    day: string,
  ): Promise<void> {
    const dateOfBirth = await dateOfBirthOf(this.vault, member.personal);
    if (!dateOfBirth) return;
    const birthday = birthdayOfAge(dateOfBirth, ADULT);
    if (birthday <= day) return;
    batch.removed.delete(member.memberId);
    batch.rows.set(member.memberId, {
      member_id: member.memberId,
      family_id: familyId,
      turns_18: this.vault.blindIndex(TURNS_18, birthday),
      // Committed after the calendar recorded the birthday (an event dated before midnight).
      due: birthday <= batch.lastDay!,
    });
  }

  /** Crypto-shredding: nothing that could find an erased member's birthday stays behind. */
  private erase(batch: Batch, subjects: readonly string[]): void {
    for (const subject of subjects) {
      batch.rows.delete(subject);
      batch.removed.add(subject);
    }
  }

  private async sweep(manager: EntityManager, batch: Batch, day: string): Promise<void> {
    const from = batch.lastDay!;
    if (day <= from) return;
    const indexes = new Set(daysAfter(from, day).map((d) => this.vault.blindIndex(TURNS_18, d)));
    for (const row of batch.rows.values()) if (indexes.has(row.turns_18)) row.due = true;
    await manager.query(
      'UPDATE came_of_age_minors SET due = true WHERE turns_18 = ANY($1::text[]) AND NOT due',
      [[...indexes]],
    );
    batch.lastDay = day;
    batch.lastDayChanged = true;
  }
}
