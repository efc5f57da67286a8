import type { DataSource } from 'typeorm';
import { isTransientDatabaseError } from '../database/database-unavailable.js';

export interface IdempotencyRecord {
  request_hash: string;
  /** applied: carried out, but its answer was lost (see settle). */
  state: 'in_progress' | 'completed' | 'applied';
  status_code: number | null;
  response: unknown;
  /** The attempt that made it, and the instance running that; null in records made before. */
  claim_id: string | null;
  instance_id: string | null;
}

export interface Claim {
  readonly scope: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly requestHash: string;
  readonly instanceId: string;
  /** The correlation id the command's events will carry. */
  readonly correlationId: string | null;
}

/** The idempotency_records table: one row per (caller, key). */
export class IdempotencyRecords {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the attempt as in progress, with the transaction id of this insert: every append
   * the request makes commits later, so has a higher one (see settle). False when the key is
   * taken.
   */
  async claim(claimId: string, c: Claim): Promise<boolean> {
    // claimId is made by the caller, so that even a claim whose answer was lost can be settled.
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_records (scope, key, method, path, request_hash, state, claim_id,
         instance_id, transaction_id, correlation_id)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7, pg_current_xact_id(), $8)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [c.scope, c.key, c.method, c.path, c.requestHash, claimId, c.instanceId, c.correlationId],
    );
    return inserted.length > 0;
  }

  async find(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
    const rows: IdempotencyRecord[] = await this.dataSource.query(
      `SELECT request_hash, state, status_code, response, claim_id::text, instance_id
         FROM idempotency_records WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return rows[0];
  }

  async complete(claimId: string, statusCode: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_records SET state = 'completed', status_code = $2, response = $3,
         completed_at = now() WHERE claim_id = $1`,
      [claimId, statusCode, JSON.stringify(body ?? null)],
    );
  }

  async forget(claimId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_records WHERE claim_id = $1', [claimId]);
  }

  /**
   * The request holding the record in progress can no longer do anything (its instance is gone,
   * or the connection it appended over has ended): was it carried out? The events table knows.
   * Events with its correlation id, appended after the record was made, mean it was (state
   * `applied`); none mean it was not, and the record goes, so that a retry runs it. Only the
   * attempt's own record, still in progress, is touched: of two retries settling at once, one
   * decides and the other finds it settled, and a later attempt's record is left alone.
   */
  async settle(claimId: string): Promise<void> {
    try {
      await this.dataSource.query(
        `WITH record AS (
           SELECT transaction_id, correlation_id FROM idempotency_records
            WHERE claim_id = $1 AND state = 'in_progress'
              FOR UPDATE),
         applied AS (
           SELECT EXISTS (SELECT 1 FROM events e, record r
                           WHERE e.transaction_id > r.transaction_id
                             AND e.metadata->>'correlationId' = r.correlation_id) AS yes),
         marked AS (
           UPDATE idempotency_records SET state = 'applied', completed_at = now()
            WHERE claim_id = $1 AND state = 'in_progress' AND (SELECT yes FROM applied)
            RETURNING 1)
         DELETE FROM idempotency_records
          WHERE claim_id = $1 AND state = 'in_progress' AND NOT (SELECT yes FROM applied)`,
        [claimId],
      );
    } catch (error) {
      // No events table to ask (events kept in EventStoreDB): fall back to forgetting it.
      if (isTransientDatabaseError(error)) throw error;
      await this.forget(claimId);
    }
  }
}
