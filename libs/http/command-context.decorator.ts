import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../aggregates/aggregate-repository.js';
import type { AuthUser } from '../auth/auth-user.js';

/** The metadata every event of this request carries: who acted, and the request's correlation id. */
export const CommandCtx = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandContext => {
    const request = context.switchToHttp().getRequest<{ user: AuthUser; id?: unknown }>();
    const user = request.user;
    return {
      // A citizen's name would be personal data in plaintext in every event, beyond the reach
      // of erasure: citizens are recorded by their id and role only.
      actor: user.roles.includes('citizen')
        ? { userId: user.sub, role: 'citizen' }
        : {
            userId: user.sub,
            name: user.name,
            organisation: user.organisation,
            role: user.roles[0],
          },
      correlationId: typeof request.id === 'string' ? request.id : randomUUID(),
    };
  },
);

/**
 * The `If-Match` header, for commands that honour it. Not `@Headers('if-match')`: that would
 * document the header as required; ApiCommand({ ifMatch: true }) documents it once, optional.
 */
export const IfMatch = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined =>
    context
      .switchToHttp()
      .getRequest<{ header(name: string): string | undefined }>()
      .header('if-match'),
);
