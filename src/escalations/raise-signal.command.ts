import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { WrongExpectedVersionError } from '#libs/event-store/errors.js';
import { FamilyActors } from '../families/family-actors.js';
import { FamilyStates } from '../families/family-states.js';
import type { RaiseSignalDto } from './dto/escalation-commands.dto.js';
import { EscalationCommandService } from './escalation-command.service.js';
import type { Confidentiality } from '../kernel/life-domains.js';
import type { SignalCategory } from './escalation.model.js';

/** Namespace of the escalation ids of automatic signals: the id is a function of the cause. */
const AUTOMATIC_SIGNALS = 'b4a1c6f2-2f5e-4c0a-9d55-6f1f3f6f2a10';

export interface SignalRequest {
  familyId: string;
  category: SignalCategory;
  description: string;
  confidentiality?: Confidentiality;
  raisedBy: string;
  cause: string | null;
}

/** Raises a signal: a new escalation at level 0, held by the family's casusregisseur. */
@Injectable()
export class SignalRaiser {
  constructor(
    @Inject(EscalationCommandService) private readonly escalations: EscalationCommandService,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
    @Inject(FamilyStates) private readonly families: FamilyStates,
  ) {}

  async raise(request: SignalRequest, context: CommandContext, user?: AuthUser) {
    const escalationId = request.cause ? uuidv5(request.cause, AUTOMATIC_SIGNALS) : randomUUID();
    const signalId = randomUUID();
    const { position } = await this.escalations.pipe(escalationId, context, async () => {
      const family = await this.families.get(request.familyId);
      const regie = await this.actors.regie(request.familyId);
      if (user) await this.actors.assertActs(request.familyId, family, user, regie);
      return {
        familyId: request.familyId,
        command: {
          type: 'Raise',
          escalationId,
          signal: {
            familyId: request.familyId,
            teamId: family.teamId!,
            signalId,
            category: request.category,
            description: request.description,
            automatic: request.cause !== null,
            cause: request.cause,
            raisedBy: request.raisedBy,
            holder: regie.casusregisseur,
            // Safety information can endanger someone when shared: restricted unless said otherwise.
            confidentiality:
              request.confidentiality ??
              (request.category === 'safety' ? 'restricted' : 'case_team'),
          },
        },
      };
    });
    return { signalId, escalationId, position };
  }

  /**
   * Raised by the system, once per cause: the escalation's id derives from the cause, so a
   * retry, a restart or a second server finds the stream already there and adds nothing.
   */
  async raiseOnce(
    request: Omit<SignalRequest, 'raisedBy'>,
    context: CommandContext,
  ): Promise<boolean> {
    const escalationId = uuidv5(request.cause!, AUTOMATIC_SIGNALS);
    if (await this.escalations.load(escalationId)) return false;
    try {
      await this.raise({ ...request, raisedBy: 'system' }, context);
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError || isLostRace(error)) return false;
      throw error;
    }
  }
}

const isLostRace = (error: unknown) =>
  error instanceof Error && error.name === 'DomainConflict' && /same moment/.test(error.message);

export class RaiseSignalCommand extends Command<{
  signalId: string;
  escalationId: string;
  position: string;
}> {
  constructor(
    readonly familyId: string,
    readonly body: RaiseSignalDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RaiseSignalCommand)
export class RaiseSignalHandler implements ICommandHandler<RaiseSignalCommand> {
  constructor(@Inject(SignalRaiser) private readonly signals: SignalRaiser) {}

  execute({ familyId, body, user, context }: RaiseSignalCommand) {
    return this.signals.raise(
      {
        familyId,
        category: body.category,
        description: body.description,
        confidentiality: body.confidentiality,
        raisedBy: user.sub,
        cause: null,
      },
      context,
      user,
    );
  }
}
