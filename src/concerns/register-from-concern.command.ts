import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v5 as uuidv5 } from 'uuid';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { isErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { normalizeAddress } from '../families/address.js';
import { FamilyStates } from '../families/family-states.js';
import {
  RegisterFamilyCommand,
  type RegisterFamilyResult,
} from '../families/register-family.command.js';
import { intakeOnly } from './concern-access.js';
import { actorOf, ConcernCommandService, ConcernStepCommand } from './concern.command.js';
import type { Concern } from './concern.evolve.js';
import type { ConcernSubject } from './concern.model.js';
import type { RegisterFromConcernDto } from './dto/concern-commands.dto.js';

/** The namespace of the families registered from a concern (uuid v5 over the concern's id). */
const FAMILIES_FROM_CONCERNS = '4f1d2c7e-8a3b-5c6d-9e0f-1a2b3c4d5e6f';

/** One concern registers at most one family, always the same: a retry finds it again. */
export const familyIdOfConcern = (concernId: string): string =>
  uuidv5(concernId.toLowerCase(), FAMILIES_FROM_CONCERNS);

export class RegisterFromConcernCommand extends ConcernStepCommand<
  RegisterFromConcernDto,
  { familyId: string; memberIds: string[]; position: string }
> {}

/**
 * Registers a new family from a concern (its team, and the subject's address pre-filled) and
 * records that on the concern. The family's stream and the concern's are two appends, not one
 * transaction, so the family's id is derived from the concern's: a retry after a crash between
 * them finds the family registered and only records the concern's step.
 */
@CommandHandler(RegisterFromConcernCommand)
export class RegisterFromConcernHandler implements ICommandHandler<RegisterFromConcernCommand> {
  constructor(
    @Inject(ConcernCommandService) private readonly service: ConcernCommandService,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyStates) private readonly families: FamilyStates,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async execute({ concernId, user, context, body }: RegisterFromConcernCommand) {
    // Refused before the family is registered, so that a refusal leaves nothing behind; the
    // concern's own step checks all of it again against the stream it appends to.
    const state = await this.service.load(concernId);
    intakeOnly(user, state);
    const concern = state.concern!;
    if (concern.status !== 'in_triage' && concern.status !== 'outreach') {
      throw new DomainConflict(
        `A concern that is ${concern.status} cannot be registered as a family (take it up first)`,
      );
    }
    const familyId = familyIdOfConcern(concernId);
    const family = await this.registered(familyId, concern, body, user, context);
    const { position } = await this.service.asIntake(
      { concernId, user, context },
      { type: 'RecordRegistration', familyId, memberIds: family.memberIds, by: actorOf(user) },
    );
    return { familyId, memberIds: family.memberIds, position };
  }

  /** The family of this concern: registered now, or found as an earlier attempt left it. */
  private async registered(
    familyId: string,
    { teamId, subject: sealedSubject }: Concern,
    body: RegisterFromConcernDto,
    user: AuthUser,
    context: CommandContext,
  ): Promise<Pick<RegisterFamilyResult, 'memberIds'>> {
    const existing = await this.families.find(familyId);
    if (existing?.registered) {
      if (existing.teamId !== teamId) {
        throw new DomainConflict('The family of this concern belongs to another team');
      }
      // Registration order is member order: the first is whom the concern is about.
      return { memberIds: existing.members.map((m) => m.memberId) };
    }
    const subject = sealedSubject && (await this.vault.open<ConcernSubject>(sealedSubject));
    const address =
      subject && !isErased(subject)
        ? normalizeAddress({ postcode: subject.postcode, houseNumber: subject.houseNumber })
        : undefined;
    // The caller joins the case team, as with POST /families.
    const registeredBy = { ...actorOf(user), discipline: 'SLT' };
    return this.commands.execute(
      new RegisterFamilyCommand(
        { teamId, members: body.members, network: body.network, address },
        registeredBy,
        // Both streams' events name the same actor and correlation.
        context,
        familyId,
      ),
    );
  }
}
