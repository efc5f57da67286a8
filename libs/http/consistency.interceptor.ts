import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import { defer, from, switchMap, type Observable } from 'rxjs';
import { parsePosition } from '../event-store/position.js';
import { problem, ProblemException, validationProblem } from './problem-details.js';

const HEADER = 'x-consistent-after';

/** What the interceptor needs from the projection machinery (kept narrow for testing). */
export interface ConsistencyWaiter {
  waitFor(position: { commit: bigint; prepare: bigint }, timeoutMs: number): Promise<boolean>;
}

export const CONSISTENCY_WAITER = Symbol('CONSISTENCY_WAITER');
export const CONSISTENCY_TIMEOUT_MS = Symbol('CONSISTENCY_TIMEOUT_MS');

/**
 * `X-Consistent-After: <position>` on a request (every view; any other request that sends it) waits until the read models have processed that
 * position, so a client reads its own writes. When they do not catch up in time the answer is
 * 503 with Retry-After rather than silently stale data.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(CONSISTENCY_WAITER) private readonly waiter: ConsistencyWaiter,
    @Inject(CONSISTENCY_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.header(HEADER);
    // Views are GETs, but a POST that reads read models (a BSN reveal) may ask for it too.
    if (header === undefined) return next.handle();
    const position = parsePosition(header);
    if (!position) {
      throw validationProblem([
        { field: 'X-Consistent-After', messages: ['must be a position returned by a command'] },
      ]);
    }
    return defer(() => from(this.waiter.waitFor(position, this.timeoutMs))).pipe(
      switchMap((caughtUp) => {
        if (!caughtUp) {
          throw new ProblemException(
            problem(503, 'read-model-behind', `The read models have not yet processed ${header}`),
            { 'Retry-After': '1' },
          );
        }
        return next.handle();
      }),
    );
  }
}
