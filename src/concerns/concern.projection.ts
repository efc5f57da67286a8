import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Projection } from '#libs/projections/projection.js';
import { CONCERN_EVENT_TYPES, type ConcernEvent } from './concern.events.js';
import { evolveConcern, type Concern } from './concern.evolve.js';
import type { ConcernSubject } from './concern.model.js';
import {
  addressDigest,
  memberDigest,
  personDigests,
  type SubjectDigest,
} from './subject-digests.js';

/** One step of a concern as its readers see it; texts are not repeated here. */
export interface ConcernHistoryEntry {
  readonly at: string;
  readonly event: string;
  readonly actor: { readonly userId: string; readonly name?: string };
}

/**
 * Keeps concern_views (the folded concern, as evolveConcern folds it, with the columns its
 * queues filter on) and concern_subject_digests (the blind indexes of its subject, opened with
 * the vault: a destroyed concern is never indexed again, also not by a rebuild).
 */
@Injectable()
export class ConcernProjection implements Projection {
  readonly name = 'concerns';
  readonly tables = ['concern_views', 'concern_subject_digests'];
  readonly eventTypes = CONCERN_EVENT_TYPES;

  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as RecordedEvent & ConcernEvent;
    const { concernId } = event.data;
    const [row]: Array<{ document: Concern; history: ConcernHistoryEntry[] }> = await manager.query(
      'SELECT document, history FROM concern_views WHERE concern_id = $1',
      [concernId],
    );
    const concern = evolveConcern({ concern: row?.document ?? null }, event).concern;
    if (!concern) return;
    const history = [
      ...(row?.history ?? []),
      {
        at: event.metadata.occurredAt,
        event: event.type.slice('concern.'.length),
        actor: event.metadata.actor,
      },
    ];
    await manager.query(
      `INSERT INTO concern_views (concern_id, team_id, reporter_id, reporter_organisation,
         category, urgency, status, received_at, triage_due_at, family_id, closed_at, document,
         history, stream_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (concern_id) DO UPDATE SET status = excluded.status,
         family_id = excluded.family_id, closed_at = excluded.closed_at,
         document = excluded.document, history = excluded.history,
         stream_version = excluded.stream_version`,
      [
        concernId,
        concern.teamId,
        concern.reporter.professionalId,
        concern.reporter.organisation,
        concern.category,
        concern.urgency,
        concern.status,
        concern.receivedAt,
        concern.triageDueAt,
        concern.familyId,
        concern.closedAt,
        JSON.stringify(concern),
        JSON.stringify(history),
        event.streamVersion,
      ],
    );
    switch (event.type) {
      case 'concern.ConcernReceived':
        return this.index(manager, concernId, await this.digestsOf(event.data.subject));
      case 'concern.ConcernLinked':
        if (!event.data.memberId) return;
        return this.index(manager, concernId, [memberDigest(this.vault, event.data.memberId)]);
      case 'concern.FamilyRegisteredFromConcern':
        if (event.data.memberIds.length !== 1) return;
        return this.index(manager, concernId, [memberDigest(this.vault, event.data.memberIds[0])]);
      case 'concern.ConcernDestroyed':
        await manager.query('DELETE FROM concern_subject_digests WHERE concern_id = $1', [
          concernId,
        ]);
        return;
      default:
        return;
    }
  }

  private async digestsOf(sealed: string): Promise<SubjectDigest[]> {
    const subject = await this.vault.open<ConcernSubject>(sealed);
    if (isErased(subject)) return [];
    return [...personDigests(this.vault, subject), addressDigest(this.vault, subject)];
  }

  private async index(manager: EntityManager, concernId: string, digests: SubjectDigest[]) {
    for (const { kind, digest } of digests) {
      await manager.query(
        `INSERT INTO concern_subject_digests (concern_id, kind, digest) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [concernId, kind, digest],
      );
    }
  }
}
