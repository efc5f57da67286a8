import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import type { ErasureDecisionDto, ErasureRequestDto } from './dto/erasure.dto.js';
import { ErasureService, type ErasureDecisionResult } from './erasure.service.js';

export class RequestErasureCommand extends Command<{ requestId: string; position: string }> {
  constructor(
    readonly familyId: string,
    readonly memberId: string,
    readonly body: ErasureRequestDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RequestErasureCommand)
export class RequestErasureHandler implements ICommandHandler<RequestErasureCommand> {
  constructor(@Inject(ErasureService) private readonly erasure: ErasureService) {}

  execute({ familyId, memberId, body, user, context }: RequestErasureCommand) {
    return this.erasure.request({ familyId, memberId, reason: body.reason }, user, context);
  }
}

export class DecideErasureCommand extends Command<ErasureDecisionResult> {
  constructor(
    readonly requestId: string,
    readonly body: ErasureDecisionDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(DecideErasureCommand)
export class DecideErasureHandler implements ICommandHandler<DecideErasureCommand> {
  constructor(@Inject(ErasureService) private readonly erasure: ErasureService) {}

  execute({ requestId, body, user, context }: DecideErasureCommand) {
    return this.erasure.decide(
      { requestId, grant: body.grant, reason: body.reason },
      user,
      context,
    );
  }
}
