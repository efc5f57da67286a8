import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { PersonalDataErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { findMember } from '../families/family.evolve.js';
import { FamilyActors } from '../families/family-actors.js';
import { FamilyStates } from '../families/family-states.js';
import { erasureRequestDecider, type ErasureRequestCommand } from './erasure-request.decide.js';
import type { ErasureRequestState } from './erasure-request.evolve.js';
import type { DecidedErasureRequestEvent, ErasureRequestEvent } from './erasure.events.js';

export const PRIVACY_OFFICER = 'privacy_officer';

export interface ErasureRequestInput {
  readonly familyId: string;
  readonly memberId: string;
  readonly reason: string;
}

export interface ErasureDecisionInput {
  readonly requestId: string;
  readonly grant: boolean;
  readonly reason: string;
}

export interface ErasureDecisionResult {
  readonly position: string;
  readonly status: 'granted' | 'refused';
}

/**
 * Erasure requests (privacy.md, "Citizen rights"). A member asks for themselves, or a
 * professional of the family asks on their behalf; the privacy officer grants or refuses once.
 * A grant is stored first and the member's key destroyed after it: a crash in between leaves a
 * recorded decision whose key the erasure-shred timer destroys, never a destroyed key without
 * a record.
 */
@Injectable()
export class ErasureService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
    @Inject(FamilyStates) private readonly families: FamilyStates,
  ) {}

  async request(
    input: ErasureRequestInput,
    user: AuthUser,
    context: CommandContext,
  ): Promise<{ requestId: string; position: string }> {
    const { familyId, memberId } = input;
    const isCitizen = user.roles.includes('citizen');
    const requestId = randomUUID();
    const { position } = await this.run(
      requestId,
      {
        type: 'RequestErasure',
        requestId,
        familyId,
        memberId,
        reason: input.reason,
        requestedBy: user.sub,
      },
      {
        ...context,
        // A citizen's token name is the member's own name: it must not stay behind in plaintext
        // in the event's metadata after their data is erased.
        actor: isCitizen ? { userId: user.sub, role: 'citizen' } : context.actor,
        ...(isCitizen ? {} : { onBehalfOf: memberId }),
      },
      () => this.assertMayRequest(input, user),
    );
    return { requestId, position };
  }

  async decide(
    input: ErasureDecisionInput,
    user: AuthUser,
    context: CommandContext,
  ): Promise<ErasureDecisionResult> {
    const { requestId, grant, reason } = input;
    const { position, state } = await this.run(
      requestId,
      grant
        ? { type: 'GrantErasure', requestId, reason, decidedBy: user.sub }
        : { type: 'RefuseErasure', requestId, legalReason: reason, decidedBy: user.sub },
      context,
      async (request) => {
        if (!user.roles.includes(PRIVACY_OFFICER)) {
          throw forbidden('Only the privacy officer decides on erasure requests');
        }
        if (!request.familyId) throw notFound('No erasure request with this id');
      },
    );
    if (grant) await this.shred(state.subjects);
    return { position, status: grant ? 'granted' : 'refused' };
  }

  /** Idempotent: a key that is already destroyed stays destroyed. */
  async shred(subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) await this.vault.shred(subject);
  }

  private run(
    requestId: string,
    command: ErasureRequestCommand,
    context: CommandContext,
    authorize: (state: ErasureRequestState) => Promise<void>,
  ) {
    return this.pipeline.run({
      decider: erasureRequestDecider,
      id: requestId,
      command,
      context,
      authorize,
      seal: (event) =>
        sealErasureRequestEvent(event, (text) => this.sealForFamily(event.data.familyId, text)),
    });
  }

  /** A member asks for themselves; a professional who acts on the family asks for any member. */
  private async assertMayRequest(input: ErasureRequestInput, user: AuthUser): Promise<void> {
    const { familyId, memberId } = input;
    const state = await this.families.find(familyId);
    const isCitizen = user.roles.includes('citizen');
    const ownFamily =
      isCitizen &&
      user.memberId !== undefined &&
      state?.members.some((m) => m.memberId === user.memberId);
    if (!isCitizen) await this.actors.assertActs(familyId, state, user);
    else if (!state?.registered || !ownFamily) throw notFound('No family with this id');
    if (!state) throw notFound('No family with this id');
    if (!findMember(state, memberId)) throw notFound('No member with this id in this family');
    if (isCitizen && user.memberId !== memberId) {
      throw forbidden(
        'A member asks for the erasure of their own data; a professional of the family may ask on their behalf',
      );
    }
    if (await this.vault.isShredded(memberId)) {
      throw new DomainConflict("This member's personal data is already erased");
    }
  }

  /** Texts about a request are sealed with the family's key, so they outlive the member's key. */
  private async sealForFamily(familyId: string, text: string): Promise<Sealed> {
    try {
      return await this.vault.seal(familyId, text);
    } catch (error) {
      if (error instanceof PersonalDataErased) {
        throw new DomainConflict(
          "The retention period of this family's case ran out: its personal data is destroyed",
        );
      }
      throw error;
    }
  }
}

/** Seals the reason of a decided event; a new text field fails to compile here until it is. */
export async function sealErasureRequestEvent(
  event: DecidedErasureRequestEvent,
  seal: (text: string) => Promise<Sealed>,
): Promise<ErasureRequestEvent> {
  switch (event.type) {
    case 'erasure.ErasureRequested':
      return { ...event, data: { ...event.data, reason: await seal(event.data.reason) } };
    case 'erasure.ErasureGranted':
      return { ...event, data: { ...event.data, reason: await seal(event.data.reason) } };
    case 'erasure.ErasureRefused': {
      const legalReason = await seal(event.data.legalReason);
      return { ...event, data: { ...event.data, legalReason } };
    }
  }
}
