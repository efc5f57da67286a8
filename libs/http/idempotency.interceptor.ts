import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { defer, from, lastValueFrom, type Observable } from 'rxjs';
import { isDatabaseUnavailable, retryDelayMs } from '../database/database-unavailable.js';
import { problem, ProblemException, validationProblem } from './problem-details.js';

const HEADER = 'idempotency-key';
const NEVER_STORE = 'egep:idempotency:never-store';

/**
 * For a POST whose answer is personal data (a revealed BSN): it must not be copied into the
 * idempotency table, where erasure would not reach it, so the key is ignored.
 */
export const NeverStoreResponse = () => SetMetadata(NEVER_STORE, true);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface StoredRecord {
  request_hash: string;
  /** applied: carried out, but its answer was lost in a database outage (see settle). */
  state: 'in_progress' | 'completed' | 'applied';
  status_code: number | null;
  response: unknown;
}

function requestHash(request: Request): string {
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/** How long to keep trying to record an outcome while the database is down. */
const SETTLE_FOR_MS = 10 * 60_000;

/**
 * Runs `task` until it succeeds, backing off between attempts, for at most SETTLE_FOR_MS. Not
 * awaited by the request: it finishes what a database outage interrupted once the database is
 * back. Its timers are unref'd, so they never keep a stopping process alive.
 */
function retryInBackground(task: () => Promise<unknown>): void {
  const giveUpAt = Date.now() + SETTLE_FOR_MS;
  const attempt = async (failures: number): Promise<void> => {
    try {
      await task();
    } catch {
      if (Date.now() > giveUpAt) return;
      const delay = retryDelayMs(failures + 1, 250, 5_000);
      setTimeout(() => void attempt(failures + 1), delay).unref();
    }
  };
  void attempt(0);
}

/**
 * `Idempotency-Key` on a POST: the first request with a key runs and its response is stored in
 * Postgres; a repeat gets that stored response and appends nothing. A failed request stores
 * nothing (it appended nothing either), so the client may retry it with the same key.
 *
 * A database outage may interrupt either side of the command's append, and the record must
 * then neither stay "in progress" for ever nor let a retry run the command a second time:
 * - the command succeeded but its answer could not be stored: the client still gets the answer,
 *   and the record is completed in the background once the database is back (until then a
 *   retry hears "in progress, retry after 1 s");
 * - the command failed with a lost connection, so its append may or may not have committed: in
 *   the background, once the database is back, the events table decides. Events carrying this
 *   request's correlation id, appended after the record was made, mean it was carried out
 *   (state `applied`: a retry hears so, and nothing runs twice); none mean it was not (the
 *   record goes, and a retry runs the command).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: { sub: string } }>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header(HEADER);
    if (request.method !== 'POST' || key === undefined) return next.handle();
    const never = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(NEVER_STORE, never)) return next.handle();
    return defer(() => from(this.run(key, request, response, next)));
  }

  private async run(
    key: string,
    request: Request & { user?: { sub: string } },
    response: Response,
    next: CallHandler,
  ) {
    if (!KEY_PATTERN.test(key)) {
      throw validationProblem([
        { field: 'Idempotency-Key', messages: ['must be 1 to 255 visible ASCII characters'] },
      ]);
    }
    const scope = request.user?.sub ?? 'anonymous';
    const hash = requestHash(request);
    // The transaction id of this insert: every append this request makes commits later, so
    // has a higher one (see settle).
    const inserted: Array<{ xid: string }> = await this.dataSource.query(
      `INSERT INTO idempotency_records (scope, key, method, path, request_hash, state)
       VALUES ($1, $2, $3, $4, $5, 'in_progress') ON CONFLICT DO NOTHING
       RETURNING pg_current_xact_id()::text AS xid`,
      [scope, key, request.method, request.originalUrl, hash],
    );
    if (inserted.length === 0) return this.replay(scope, key, hash, response);

    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      // The correlation id the command's events carry (CommandCtx takes it from request.id).
      const correlationId = (request as { id?: unknown }).id;
      if (isDatabaseUnavailable(error) && typeof correlationId === 'string') {
        retryInBackground(() => this.settle(scope, key, inserted[0].xid, correlationId));
      } else {
        await this.forget(scope, key).catch(() => retryInBackground(() => this.forget(scope, key)));
      }
      throw error;
    }
    const complete = () =>
      this.dataSource.query(
        `UPDATE idempotency_records SET state = 'completed', status_code = $3, response = $4,
           completed_at = now() WHERE scope = $1 AND key = $2`,
        [scope, key, response.statusCode, JSON.stringify(body ?? null)],
      );
    // The command is done: its answer must reach the client even if storing it has to wait.
    await complete().catch(() => retryInBackground(complete));
    return body;
  }

  private forget(scope: string, key: string) {
    return this.dataSource.query('DELETE FROM idempotency_records WHERE scope = $1 AND key = $2', [
      scope,
      key,
    ]);
  }

  /** After a lost connection: was the command carried out? The events table knows. */
  private async settle(scope: string, key: string, xid: string, correlationId: string) {
    try {
      await this.settleQuery(scope, key, xid, correlationId);
    } catch (error) {
      // No events table to ask (events kept in EventStoreDB): fall back to forgetting it.
      if (isDatabaseUnavailable(error)) throw error;
      await this.forget(scope, key);
    }
  }

  private async settleQuery(scope: string, key: string, xid: string, correlationId: string) {
    await this.dataSource.query(
      `WITH applied AS (
         SELECT EXISTS (SELECT 1 FROM events
                         WHERE transaction_id > $3::xid8 AND metadata->>'correlationId' = $4) AS yes),
       marked AS (
         UPDATE idempotency_records SET state = 'applied', completed_at = now()
          WHERE scope = $1 AND key = $2 AND state = 'in_progress' AND (SELECT yes FROM applied)
          RETURNING 1)
       DELETE FROM idempotency_records
        WHERE scope = $1 AND key = $2 AND state = 'in_progress' AND NOT (SELECT yes FROM applied)`,
      [scope, key, xid, correlationId],
    );
  }

  private async replay(scope: string, key: string, hash: string, response: Response) {
    const rows: StoredRecord[] = await this.dataSource.query(
      'SELECT request_hash, state, status_code, response FROM idempotency_records WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    const record = rows[0];
    if (!record) {
      const detail = 'The first request with this Idempotency-Key failed just now; retry it';
      throw new ProblemException(problem(409, 'idempotency-conflict', detail));
    }
    if (record.request_hash !== hash) {
      const detail = 'This Idempotency-Key was used for a different request';
      throw new ProblemException(problem(422, 'idempotency-key-reused', detail));
    }
    if (record.state === 'applied') {
      const detail =
        'The request with this Idempotency-Key was carried out, but its answer was lost in a ' +
        'database outage; read the current state instead of repeating it';
      throw new ProblemException(problem(409, 'idempotency-answer-lost', detail));
    }
    if (record.state !== 'completed') {
      const detail = 'A request with this Idempotency-Key is still being processed';
      throw new ProblemException(problem(409, 'idempotency-in-progress', detail), {
        'Retry-After': '1',
      });
    }
    response.status(record.status_code ?? 200);
    response.setHeader('Idempotent-Replayed', 'true');
    return record.response;
  }
}
