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
  state: 'in_progress' | 'completed';
  status_code: number | null;
  response: unknown;
}

function requestHash(request: Request): string {
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` on a POST: the first request with a key runs and its response is stored in
 * Postgres; a repeat gets that stored response and appends nothing. A failed request stores
 * nothing (it appended nothing either), so the client may retry it with the same key.
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
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_records (scope, key, method, path, request_hash, state)
       VALUES ($1, $2, $3, $4, $5, 'in_progress') ON CONFLICT DO NOTHING RETURNING key`,
      [scope, key, request.method, request.originalUrl, hash],
    );
    if (inserted.length === 0) return this.replay(scope, key, hash, response);

    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.dataSource.query(
        `UPDATE idempotency_records SET state = 'completed', status_code = $3, response = $4,
           completed_at = now() WHERE scope = $1 AND key = $2`,
        [scope, key, response.statusCode, JSON.stringify(body ?? null)],
      );
      return body;
    } catch (error) {
      await this.dataSource
        .query('DELETE FROM idempotency_records WHERE scope = $1 AND key = $2', [scope, key])
        .catch(() => undefined);
      throw error;
    }
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
