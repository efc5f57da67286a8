import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { isTransientDatabaseError, retryDelayMs } from '../database/database-unavailable.js';
import { Wakeup } from '../event-store/wakeup.js';
import { recipientsOf } from './notification.js';

/** What a client receives; `id` is `<commit>-<prepare>-<idx>`, usable as Last-Event-ID. */
export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  familyId: string | null;
  escalationId: string | null;
  at: string;
}

export interface NotificationId {
  commit: bigint;
  prepare: bigint;
  idx: number;
}

const ID_PATTERN = /^(\d{1,19})-(\d{1,19})-(\d{1,9})$/;
const MAX_BIGINT = 2n ** 63n - 1n;
const FROM_START: NotificationId = { commit: -1n, prepare: -1n, idx: -1 };

/** Returns undefined for anything that is not an id this feed handed out. */
export function parseNotificationId(text: string): NotificationId | undefined {
  const match = ID_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [commit, prepare] = [BigInt(match[1]), BigInt(match[2])];
  if (commit > MAX_BIGINT || prepare > MAX_BIGINT) return undefined;
  return { commit, prepare, idx: Number(match[3]) };
}

interface Row {
  commit_pos: string;
  prepare_pos: string;
  idx: number;
  kind: string;
  title: string;
  family_id: string | null;
  escalation_id: string | null;
  created_at: Date;
}

/**
 * Reads the outbox for one user, oldest first. The projection writes rows in event order and
 * ids derive from event positions, so "everything after this id" never skips a row and stays
 * valid across restarts and rebuilds.
 *
 * An event may address one user through several recipients (`user:x` and `role:y`); the user
 * then gets only the first (lowest idx) notification of each kind from that event. Duplicates
 * are judged over the whole event, not only the rows after the resume point, so resuming in the
 * middle of an event never hands out the second copy.
 */
export class NotificationFeed {
  private readonly pollIntervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    options: { pollIntervalMs?: number } = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  async since(
    user: AuthUser,
    lastEventId: string | undefined,
    limit = 100,
  ): Promise<NotificationItem[]> {
    const after = lastEventId === undefined ? FROM_START : parseNotificationId(lastEventId);
    if (!after) throw new RangeError(`Not a notification id: ${lastEventId}`);
    const rows: Row[] = await this.dataSource.query(
      `SELECT n.commit_pos, n.prepare_pos, n.idx, n.kind, n.title, n.family_id, n.escalation_id,
              n.created_at
         FROM notifications n
        WHERE n.recipient = ANY($1)
          AND (n.commit_pos, n.prepare_pos, n.idx) > ($2::bigint, $3::bigint, $4::integer)
          AND NOT EXISTS (
            SELECT 1 FROM notifications o
             WHERE o.recipient = ANY($1) AND o.commit_pos = n.commit_pos
               AND o.prepare_pos = n.prepare_pos AND o.kind = n.kind AND o.idx < n.idx)
        ORDER BY n.commit_pos, n.prepare_pos, n.idx
        LIMIT $5`,
      [
        recipientsOf(user),
        after.commit.toString(),
        after.prepare.toString(),
        after.idx,
        Math.max(1, Math.min(limit, 1000)),
      ],
    );
    return rows.map((r) => ({
      id: `${r.commit_pos}-${r.prepare_pos}-${r.idx}`,
      kind: r.kind,
      title: r.title,
      familyId: r.family_id,
      escalationId: r.escalation_id,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  /**
   * Everything after `lastEventId`, then whatever arrives, until `signal` aborts. A database
   * outage does not end the stream (the client would only reconnect into the same outage): it
   * keeps polling, backing off, and goes on where it was once the database is back.
   */
  async *stream(
    user: AuthUser,
    lastEventId: string | undefined,
    signal: AbortSignal,
  ): AsyncIterable<NotificationItem> {
    const pageSize = 100;
    const sleeper = new Wakeup();
    let after = lastEventId;
    let failures = 0;
    while (!signal.aborted) {
      let page: NotificationItem[];
      try {
        page = await this.since(user, after, pageSize);
        failures = 0;
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        failures += 1;
        await sleeper.wait(retryDelayMs(failures, this.pollIntervalMs, 5_000), signal);
        continue;
      }
      for (const item of page) {
        if (signal.aborted) return;
        yield item;
        after = item.id;
      }
      if (page.length < pageSize) await sleeper.wait(this.pollIntervalMs, signal);
    }
  }
}
