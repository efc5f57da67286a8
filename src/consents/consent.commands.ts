import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  AggregateRepository,
  type CommandContext,
} from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CLOCK, type Clock } from '../../libs/clock/index.js';
import { formatPosition } from '../../libs/event-store/position.js';
import { notFound } from '../../libs/http/problem-details.js';
import { PersonalDataVault } from '../../libs/personal-data/personal-data-vault.js';
import { FamilyType, type Family } from '../families/family.aggregate.js';
import { FamilyActors } from '../privacy/family-actors.js';
import { assertMayConsentFor } from './consent-authority.js';
import type { GrantConsentDto } from './dto/grant-consent.dto.js';
import { dateOfBirthOf } from '../families/date-of-birth.js';

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
 * Loads the family for someone allowed to consent for the member: a citizen of the family (the
 * member, or a parent), or a professional who acts on the family. Others who may know of the
 * family get 403, anyone else 404.
 */
async function load(
  repository: AggregateRepository,
  vault: PersonalDataVault,
  clock: Clock,
  actors: FamilyActors,
  { familyId, memberId, user }: ConsentCommand<unknown>,
): Promise<{ family: Family; onBehalfOf?: string }> {
  const family = await repository.tryLoad(FamilyType, familyId);
  const state = family?.currentState;
  if (user.roles.includes('citizen')) {
    const own = state?.registered && state.members.some((m) => m.memberId === user.memberId);
    if (!own) throw notFound('No family with this id');
  } else {
    await actors.assertActs(familyId, state, user);
  }
  if (!family || !state?.members.some((m) => m.memberId === memberId)) {
    throw notFound('No member with this id in this family');
  }
  const datesOfBirth = new Map<string, string | null>();
  for (const m of state.members)
    datesOfBirth.set(m.memberId, await dateOfBirthOf(vault, m.personal));
  return { family, ...assertMayConsentFor(state, memberId, user, datesOfBirth, clock.now()) };
}

@CommandHandler(GrantConsentCommand)
export class GrantConsentHandler implements ICommandHandler<GrantConsentCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute(command: GrantConsentCommand) {
    const { family, onBehalfOf } = await load(
      this.repository,
      this.vault,
      this.clock,
      this.actors,
      command,
    );
    const { organisation, memberId: granteeMember, lifeDomain, purpose, until } = command.body;
    const consentId = randomUUID();
    family.grantConsent({
      consentId,
      memberId: command.memberId,
      grantee: organisation !== undefined ? { organisation } : { memberId: granteeMember! },
      lifeDomain,
      purpose,
      until: until ?? null,
      grantedAt: this.clock.now().toISOString(),
    });
    const result = await this.repository.save(family, FamilyType, {
      ...command.context,
      onBehalfOf,
    });
    return { consentId, position: formatPosition(result!.position) };
  }
}

@CommandHandler(WithdrawConsentCommand)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsentCommand> {
  constructor(
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async execute(command: WithdrawConsentCommand) {
    const { family, onBehalfOf } = await load(
      this.repository,
      this.vault,
      this.clock,
      this.actors,
      command,
    );
    family.withdrawConsent(
      command.memberId,
      command.body.consentId,
      this.clock.now().toISOString(),
    );
    const result = await this.repository.save(family, FamilyType, {
      ...command.context,
      onBehalfOf,
    });
    return { position: formatPosition(result!.position) };
  }
}
