import { Inject, Injectable } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import {
  AggregateNotFoundError,
  type CommandContext,
} from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { FamilyActors } from './family-actors.js';
import { familyDecider, type FamilyCommand as DecidedCommand } from './family.decide.js';
import type { DecidedFamilyEvent, FamilyEvent } from './family.events.js';
import type { FamilyState } from './family.evolve.js';

/** Who asks, on which family: the metadata of every event. */
export interface FamilyCommandInput {
  readonly familyId: string;
  readonly user: AuthUser;
  readonly context: CommandContext;
}

/** Base of the commands on the bus that someone runs on a registered family. */
export abstract class FamilyBusCommand<Body, Result> extends Command<Result> {
  constructor(
    readonly familyId: string,
    readonly body: Body,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Refuses the command (throws the 403 or 404) unless the caller may do it to this family. */
export type FamilyAuthorize = (state: FamilyState, version: number) => Promise<void>;

/**
 * What only families know about running a command through the pipeline: who may act (the
 * family's case team, regisseurs and team lead: 403 for who may know of the family, 404 for
 * the rest), and that personal data is sealed after the decision, each with the key that
 * erases it (a member's or network member's own, the family's for its address).
 */
@Injectable()
export class FamilyCommandService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  /**
   * A command of someone who acts on the family; `check` adds what only this command refuses
   * before the decision (a 404 for a member the family does not have, say).
   */
  run(
    input: FamilyCommandInput,
    command: DecidedCommand,
    check?: (state: FamilyState) => Promise<void> | void,
  ) {
    const { familyId, user } = input;
    return this.pipe(familyId, input.context, command, async (state, version) => {
      // No stream at all answers as a missing aggregate always did (404 "Not found").
      if (version < 0) throw new AggregateNotFoundError(`family ${familyId} does not exist`);
      await this.actors.assertActs(familyId, state, user);
      await check?.(state);
    });
  }

  /** The one way a family's events are stored: `authorize` has seen the stream's state. */
  pipe(
    familyId: string,
    context: CommandContext,
    command: DecidedCommand,
    authorize: FamilyAuthorize,
  ) {
    return this.pipeline.run({
      decider: familyDecider,
      id: familyId,
      command,
      context,
      authorize: async (state, version) => {
        await authorize(state, version);
        return { familyId };
      },
      seal: (event) =>
        sealFamilyEvent(event, familyId, (subjectId, value) => this.vault.seal(subjectId, value)),
    });
  }
}

/**
 * Seals the personal data a decided family event carries. Members' and network members' data
 * and a departure's reason are sealed with that person's own id as the key (crypto-shredding
 * erases one person), the address with the family's. A new form in an event type fails to
 * compile here until it is sealed too.
 */
export async function sealFamilyEvent(
  event: DecidedFamilyEvent,
  familyId: string,
  seal: (subjectId: string, value: unknown) => Promise<Sealed>,
): Promise<FamilyEvent> {
  switch (event.type) {
    case 'family.FamilyRegistered': {
      const { members, network, address, ...data } = event.data;
      const sealedMembers = await Promise.all(
        members.map(async (m) => ({ ...m, personal: await seal(m.memberId, m.personal) })),
      );
      const sealedNetwork = await Promise.all(
        network.map(async (n) => ({ ...n, personal: await seal(n.networkId, n.personal) })),
      );
      return {
        ...event,
        data: {
          ...data,
          members: sealedMembers,
          network: sealedNetwork,
          ...(address === undefined ? {} : { address: await seal(familyId, address) }),
        },
      };
    }
    case 'family.MemberAdded': {
      const { data } = event;
      return { ...event, data: { ...data, personal: await seal(data.memberId, data.personal) } };
    }
    case 'family.NetworkMemberAdded': {
      const { data } = event;
      return { ...event, data: { ...data, personal: await seal(data.networkId, data.personal) } };
    }
    case 'family.MemberDeparted': {
      const { reason, ...data } = event.data;
      if (reason === undefined) return { ...event, data };
      return { ...event, data: { ...data, reason: await seal(data.memberId, { reason }) } };
    }
    case 'family.AddressChanged':
      return {
        ...event,
        data: { ...event.data, address: await seal(familyId, event.data.address) },
      };
    default:
      return event;
  }
}
