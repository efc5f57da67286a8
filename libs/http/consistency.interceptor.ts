import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import { defer, from, map, switchMap, type Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user.js';
import {
  formatPosition,
  maxPosition,
  parsePosition,
  type Position,
} from '../event-store/position.js';
import { problem, ProblemException, validationProblem } from './problem-details.js';

const HEADER = 'x-consistent-after';

/** What the interceptor needs from the projection machinery (kept narrow for testing). */
export interface ConsistencyWaiter {
  waitFor(position: Position, timeoutMs: number): Promise<boolean>;
  /** The caller's own last write, when some read model has not processed it yet. */
  ownWriteAhead(userId: string): Promise<Position | undefined>;
  rememberOwnWrite(userId: string, position: Position): Promise<void>;
}

export const CONSISTENCY_WAITER = Symbol('CONSISTENCY_WAITER');
export const CONSISTENCY_TIMEOUT_MS = Symbol('CONSISTENCY_TIMEOUT_MS');

const positionOf = (body: unknown): Position | undefined => {
  const position = (body as { position?: unknown } | null)?.position;
  return typeof position === 'string' ? parsePosition(position) : undefined;
};

/**
 * Read-your-writes. Every request of a caller waits until the read models have processed that
 * caller's own last command (remembered per caller in the database, so also when the read
 * lands on another instance), and `X-Consistent-After: <position>` waits for someone else's
 * write too. When they do not catch up in time the answer is 503 with Retry-After rather than
 * silently stale data.
 */
@Injectable()
export class ConsistencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(CONSISTENCY_WAITER) private readonly waiter: ConsistencyWaiter,
    @Inject(CONSISTENCY_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.header(HEADER);
    const asked = header === undefined ? undefined : parsePosition(header);
    if (header !== undefined && !asked) {
      throw validationProblem([
        { field: 'X-Consistent-After', messages: ['must be a position returned by a command'] },
      ]);
    }
    // Public routes (health, docs) have no caller and read no read model of theirs.
    const userId = request.user?.sub;
    return defer(() => from(this.waitUntilCaughtUp(asked, userId))).pipe(
      switchMap(() => next.handle()),
      switchMap((body) => from(this.remember(userId, body)).pipe(map(() => body))),
    );
  }

  private async waitUntilCaughtUp(asked?: Position, userId?: string): Promise<void> {
    const own = userId === undefined ? undefined : await this.waiter.ownWriteAhead(userId);
    const target = asked && own ? maxPosition(asked, own) : (asked ?? own);
    if (!target || (await this.waiter.waitFor(target, this.timeoutMs))) return;
    throw new ProblemException(
      problem(
        503,
        'read-model-behind',
        asked && target === asked
          ? `The read models have not yet processed ${formatPosition(asked)}`
          : 'The read models have not yet processed your last change',
      ),
      { 'Retry-After': '1' },
    );
  }

  /**
   * Before the answer leaves: a next request, on any instance, must find it. A failure here
   * does not undo the command; that caller's next read may then be stale (as without this).
   */
  private async remember(userId: string | undefined, body: unknown): Promise<void> {
    const position = positionOf(body);
    if (userId === undefined || !position) return;
    await this.waiter.rememberOwnWrite(userId, position).catch(() => undefined);
  }
}
