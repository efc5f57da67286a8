import type { DataSource } from 'typeorm';
import type { Clock } from '#libs/clock/index.js';
import type { ZaakRegistration, ZaakRegistrations } from '../plans/zaak-registration.port.js';
import { zaakIdentificatie } from './zgw-calls.js';

export interface OutboxBacklog {
  /** Calls recorded but not yet carried out. */
  readonly backlog: number;
  /** How long ago the oldest of them was recorded; 0 when there is none. */
  readonly oldestAgeSeconds: number;
}

const UNSENT = 'NOT EXISTS (SELECT 1 FROM zgw_sent s WHERE s.call_key = o.call_key)';

/**
 * The calls not yet dealt with, given the watermark as parameter `$n`: after it (everything
 * before it was dealt with) and not in zgw_sent. The watermark keeps this to the recent part of
 * the outbox whatever its history; passed as a parameter, not a subquery, so that the planner
 * sees how few rows lie after it and uses the index (with 1,000,000 calls: 1 ms, not 900).
 */
export const pendingAfter = (n: number) => `o.event_commit >= $${n} AND ${UNSENT}`;

/** The watermark: the commit of the oldest event whose calls may not all have been dealt with. */
export async function watermark(dataSource: DataSource): Promise<string> {
  const [row] = (await dataSource.query('SELECT event_commit FROM zgw_watermark')) as Array<{
    event_commit: string;
  }>;
  return row.event_commit;
}

/** What /health, /metrics and the plan view tell of the outbox. Reads only its own tables. */
export class ZgwOutboxStatus implements ZaakRegistrations {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async backlog(): Promise<OutboxBacklog> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS backlog, min(o.recorded_at) AS oldest FROM zgw_outbox o WHERE ${pendingAfter(1)}`,
      [await watermark(this.dataSource)],
    )) as Array<{ backlog: number; oldest: Date | null }>;
    const age = row.oldest ? (this.clock.now().getTime() - row.oldest.getTime()) / 1000 : 0;
    return { backlog: row.backlog, oldestAgeSeconds: Math.max(0, Math.round(age)) };
  }

  /** Up to date: the zaak is in the outbox (the plan's opening is) and all of it was sent. */
  async ofPlan(familyId: string, planId: string): Promise<ZaakRegistration> {
    const identificatie = zaakIdentificatie(planId);
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS calls, count(*) FILTER (WHERE ${UNSENT})::int AS unsent
         FROM zgw_outbox o WHERE o.family_id = $1 AND o.zaak = $2`,
      [familyId, identificatie],
    )) as Array<{ calls: number; unsent: number }>;
    return { identificatie, upToDate: row.calls > 0 && row.unsent === 0 };
  }
}
