import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository, type CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { formatPosition } from '#libs/event-store/position.js';
import { notFound } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyType, type Family } from '../families/family.aggregate.js';
import { FamilyActors } from '../families/family-actors.js';
import { assertMayConsentFor } from './consent-authority.js';
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
 * The path both consent commands take: load the family for someone allowed to consent for the
 * member (a citizen of the family, the member or a parent; or a professional who acts on the
 * family: others who may know of it get 403, anyone else 404), let the command change it, and
 * save it naming the member the change was made for.
 */
@Injectable()
export class ConsentCommandService {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async run(command: ConsentCommand<unknown>, change: (family: Family) => void): Promise<string> {
    const { familyId, memberId, user } = command;
    const family = await this.repository.tryLoad(FamilyType, familyId);
    const state = family?.currentState;
    if (user.roles.includes('citizen')) {
      const own = state?.registered && state.members.some((m) => m.memberId === user.memberId);
      if (!own) throw notFound('No family with this id');
    } else {
      await this.actors.assertActs(familyId, state, user);
    }
    if (!family || !state?.members.some((m) => m.memberId === memberId)) {
      throw notFound('No member with this id in this family');
    }
    const datesOfBirth = new Map<string, string | null>();
    for (const m of state.members) {
      datesOfBirth.set(m.memberId, await dateOfBirthOf(this.vault, m.personal));
    }
    const { onBehalfOf } = assertMayConsentFor(
      state,
      memberId,
      user,
      datesOfBirth,
      this.clock.now(),
    );
    change(family);
    const result = await this.repository.save(family, FamilyType, {
      ...command.context,
      onBehalfOf,
    });
    return formatPosition(result!.position);
  }
}

@CommandHandler(GrantConsentCommand)
export class GrantConsentHandler implements ICommandHandler<GrantConsentCommand> {
  constructor(@Inject(ConsentCommandService) private readonly consents: ConsentCommandService) {}

  async execute(command: GrantConsentCommand) {
    const { organisation, memberId: granteeMember, lifeDomain, purpose, until } = command.body;
    const consentId = randomUUID();
    const position = await this.consents.run(command, (family) =>
      family.grantConsent({
        consentId,
        memberId: command.memberId,
        grantee: organisation !== undefined ? { organisation } : { memberId: granteeMember! },
        lifeDomain,
        purpose,
        until: until ?? null,
        grantedAt: this.consents.clock.now().toISOString(),
      }),
    );
    return { consentId, position };
  }
}

@CommandHandler(WithdrawConsentCommand)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsentCommand> {
  constructor(@Inject(ConsentCommandService) private readonly consents: ConsentCommandService) {}

  async execute(command: WithdrawConsentCommand) {
    const position = await this.consents.run(command, (family) =>
      family.withdrawConsent(
        command.memberId,
        command.body.consentId,
        this.consents.clock.now().toISOString(),
      ),
    );
    return { position };
  }
}
