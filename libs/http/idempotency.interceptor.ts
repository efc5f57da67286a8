import { createHash, randomUUID } from 'node:crypto';
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
import { isTransientDatabaseError, retryDelayMs } from '../database/database-unavailable.js';
import { InstancePresence, livenessOf } from '../database/instance-presence.js';
import { lostSessionsEnded } from '../database/session-fence.js';
import { IdempotencyRecords, type IdempotencyRecord } from './idempotency-records.js';
import { problem, ProblemException, validationProblem } from './problem-details.js';

const HEADER = 'idempotency-key';
const NEVER_STORE = 'egep:idempotency:never-store';

/**
 * For a POST whose answer is personal data (a revealed BSN): it must not be copied into the
 * idempotency table, where erasure would not reach it, so the key is ignored.
 */
export const NeverStoreResponse = () => SetMetadata(NEVER_STORE, true);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type KeyedRequest = Request & { user?: { sub: string }; id?: unknown };

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
 * A request may be cut off on either side of the command's append, and the record must then
 * neither stay "in progress" for ever nor let a retry run the command a second time:
 * - the command succeeded but its answer could not be stored (a database outage): the client
 *   still gets the answer, and the record is completed in the background once the database is
 *   back (until then a retry hears "in progress, retry after 1 s");
 * - the command failed with a lost connection or a timeout, so its append may or may not have
 *   committed: in the background, once the connection it used has certainly ended on the server
 *   (session-fence.ts), the events table decides (IdempotencyRecords.settle);
 * - the server running it died (a SIGKILL, a crash): a retry finds the record in progress,
 *   held by an instance that has no session left in the database (instance-presence.ts), so
 *   nothing it began can still commit; the retry settles the record by the events table just
 *   the same and then goes on: it replays 409 answer-lost, or runs the command.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly records: IdempotencyRecords;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(InstancePresence) private readonly presence: InstancePresence,
  ) {
    this.records = new IdempotencyRecords(dataSource);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header(HEADER);
    if (request.method !== 'POST' || key === undefined) return next.handle();
    const never = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(NEVER_STORE, never)) return next.handle();
    if (!KEY_PATTERN.test(key)) {
      throw validationProblem([
        { field: 'Idempotency-Key', messages: ['must be 1 to 255 visible ASCII characters'] },
      ]);
    }
    return defer(() => from(this.run(key, request, response, next)));
  }

  private async run(
    key: string,
    request: KeyedRequest,
    response: Response,
    next: CallHandler,
    settledOnce = false,
  ): Promise<unknown> {
    const scope = request.user?.sub ?? 'anonymous';
    const hash = requestHash(request);
    const claimId = randomUUID();
    // The correlation id the command's events carry (CommandCtx takes it from request.id).
    const correlationId = typeof request.id === 'string' ? request.id : null;
    // Once the connection a statement went out on has certainly ended, the events table tells
    // whether the attempt was carried out.
    const settleLater = () =>
      retryInBackground(async () => {
        await lostSessionsEnded();
        await this.records.settle(claimId);
      });
    let claimed: boolean;
    try {
      claimed = await this.records.claim(claimId, {
        scope,
        key,
        method: request.method,
        path: request.originalUrl,
        requestHash: hash,
        instanceId: this.presence.id,
        correlationId,
      });
    } catch (error) {
      // Unanswered is not undone: the insert may still commit, and must not stay in progress.
      if (isTransientDatabaseError(error)) settleLater();
      throw error;
    }
    if (!claimed) {
      const record = await this.records.find(scope, key);
      if (record?.state === 'in_progress' && !settledOnce && (await this.heldByTheDead(record))) {
        await this.records.settle(record.claim_id!);
        return this.run(key, request, response, next, true);
      }
      return this.replay(record, hash, response);
    }

    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      if (isTransientDatabaseError(error) && correlationId) settleLater();
      else {
        const forget = () => this.records.forget(claimId);
        await forget().catch(() => retryInBackground(forget));
      }
      throw error;
    }
    const complete = () => this.records.complete(claimId, response.statusCode, body);
    // The command is done: its answer must reach the client even if storing it has to wait.
    await complete().catch(() => retryInBackground(complete));
    return body;
  }

  /**
   * Held by another instance that has no session left. (A record this instance holds is either
   * still running here or being settled here in the background.)
   */
  private async heldByTheDead(record: IdempotencyRecord): Promise<boolean> {
    if (!record.claim_id || !record.instance_id || record.instance_id === this.presence.id)
      return false;
    return (await livenessOf(this.dataSource, record.instance_id)) === 'gone';
  }

  private replay(record: IdempotencyRecord | undefined, hash: string, response: Response) {
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
        'The request with this Idempotency-Key was carried out, but its answer was lost; ' +
        'read the current state instead of repeating it';
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
