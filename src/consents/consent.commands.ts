import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { notFound } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyActors } from '../families/family-actors.js';
import { FamilyCommandService } from '../families/family.command.js';
import type { FamilyCommand } from '../families/family.decide.js';
import type { FamilyState } from '../families/family.evolve.js';
import { assertMayConsentFor, consentOnBehalfOf } from './consent-authority.js';
import type { GrantConsentDto } from './dto/grant-consent.dto.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';

abstract class ConsentCommand<Body> extends Command<{ consentId?: string; position: string }> {
  constructor(
    readonly familyId: string,
    readonly memberId: string,
    readonly body: Body,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class GrantConsentCommand extends ConsentCommand<GrantConsentDto> {}
export class WithdrawConsentCommand extends ConsentCommand<{ consentId: string }> {}

/**
 * The path both consent commands take through the family's pipeline: only someone allowed to
 * consent for the member may (a citizen of the family, the member or a parent; or a
 * professional who acts on the family: others who may know of it get 403, anyone else 404),
 * and the events name the member the change was made for.
 */
@Injectable()
export class ConsentCommandService {
  constructor(
    @Inject(FamilyCommandService) private readonly families: FamilyCommandService,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async run(command: ConsentCommand<unknown>, decided: FamilyCommand): Promise<string> {
    const { familyId, memberId, user } = command;
    const context = { ...command.context, onBehalfOf: consentOnBehalfOf(memberId, user) };
    const { position } = await this.families.pipe(familyId, context, decided, (state, version) =>
      this.authorize(command, version < 0 ? undefined : state),
    );
    return position;
  }

  /** `state` is undefined while the family's stream does not exist. */
  private async authorize(
    { familyId, memberId, user }: ConsentCommand<unknown>,
    state: FamilyState | undefined,
  ): Promise<void> {
    if (user.roles.includes('citizen')) {
      const own = state?.registered && state.members.some((m) => m.memberId === user.memberId);
      if (!own) throw notFound('No family with this id');
    } else {
      await this.actors.assertActs(familyId, state, user);
    }
    if (!state?.members.some((m) => m.memberId === memberId)) {
      throw notFound('No member with this id in this family');
    }
    const datesOfBirth = new Map<string, string | null>();
    for (const m of state.members) {
      datesOfBirth.set(m.memberId, await dateOfBirthOf(this.vault, m.personal));
    }
    assertMayConsentFor(state, memberId, user, datesOfBirth, this.clock.now());
  }
}

@CommandHandler(GrantConsentCommand)
export class GrantConsentHandler implements ICommandHandler<GrantConsentCommand> {
  constructor(@Inject(ConsentCommandService) private readonly consents: ConsentCommandService) {}

  async execute(command: GrantConsentCommand) {
    const { organisation, memberId: granteeMember, lifeDomain, purpose, until } = command.body;
    const consentId = randomUUID();
    const position = await this.consents.run(command, {
      type: 'GrantConsent',
      consent: {
        consentId,
        memberId: command.memberId,
        grantee: organisation !== undefined ? { organisation } : { memberId: granteeMember! },
        lifeDomain,
        purpose,
        until: until ?? null,
        grantedAt: this.consents.clock.now().toISOString(),
      },
    });
    return { consentId, position };
  }
}

@CommandHandler(WithdrawConsentCommand)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsentCommand> {
  constructor(@Inject(ConsentCommandService) private readonly consents: ConsentCommandService) {}

  async execute(command: WithdrawConsentCommand) {
    const position = await this.consents.run(command, {
      type: 'WithdrawConsent',
      memberId: command.memberId,
      consentId: command.body.consentId,
      withdrawnAt: this.consents.clock.now().toISOString(),
    });
    return { position };
  }
}
