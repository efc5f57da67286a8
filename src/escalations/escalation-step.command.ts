import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';

/** Base of every command on an existing escalation: which one, who asks, and the body. */
export abstract class EscalationStepCommand<Body = undefined> extends Command<{
  position: string;
}> {
  constructor(
    readonly escalationId: string,
    readonly user: AuthUser,
    readonly context: CommandContext,
    readonly body: Body,
  ) {
    super();
  }
}
