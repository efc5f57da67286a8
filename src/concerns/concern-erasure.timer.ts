import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { formatPosition, parsePosition } from '#libs/event-store/position.js';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import type { ErasureGranted, RetentionExpired } from '../erasure/erasure.events.js';
import { ConcernCommandService } from './concern.command.js';

const KIND = 'concern.erasure';

/**
 * A concern linked to a member goes with that member's erasure, and every concern linked to a
 * family with the end of the family's retention period: their keys are shredded like the
 * members'. Due at once; a timer, so that it happens once and survives a crash.
 */
@Injectable()
export class ConcernErasureRule implements TimerRule {
  readonly eventTypes = ['erasure.ErasureGranted', 'erasure.RetentionExpired'];

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & (ErasureGranted | RetentionExpired);
    await timers.schedule({
      timerId: `concern-erasure:${recorded.metadata.eventId}`,
      kind: KIND,
      dueAt: new Date(recorded.metadata.occurredAt),
      payload: {
        subjects: event.data.subjects,
        // Whole families only when their retention ended; a member's erasure leaves the family's.
        families: event.type === 'erasure.RetentionExpired' ? [event.data.familyId] : [],
        after: formatPosition(recorded.position),
      },
    });
  }
}

@Injectable()
export class ConcernErasureHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(ConcernCommandService) private readonly service: ConcernCommandService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { subjects, families, after } = timer.payload as {
      subjects: string[];
      families: string[];
      after: string;
    };
    // A link recorded just before the erasure must be in concern_views before it is searched.
    if (!(await this.projections.waitFor(parsePosition(after)!, 5000, ['concerns']))) {
      throw new Error('The concerns projection has not reached the erasure yet');
    }
    const rows: Array<{ concern_id: string }> = await this.dataSource.query(
      `SELECT concern_id FROM concern_views
        WHERE document->>'memberId' = ANY($1::text[]) OR family_id = ANY($2::uuid[])`,
      [subjects, families],
    );
    for (const { concern_id: concernId } of rows) {
      await this.service.destroy(concernId, { type: 'Erase' }, systemContext(timer));
    }
  }
}
