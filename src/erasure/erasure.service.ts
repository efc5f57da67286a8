import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AggregateRepository, type CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { formatPosition } from '#libs/event-store/position.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { PersonalDataErased, PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { FamilyType } from '../families/family.aggregate.js';
import { findMember } from '../families/family.evolve.js';
import { FamilyActors } from '../families/family-actors.js';
import { ErasureRequestType, type SealedText } from './erasure-request.aggregate.js';

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
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  async request(
    input: ErasureRequestInput,
    user: AuthUser,
    context: CommandContext,
  ): Promise<{ requestId: string; position: string }> {
    const { familyId, memberId } = input;
    const family = await this.repository.tryLoad(FamilyType, familyId);
    const state = family?.currentState;
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
    const requestId = randomUUID();
    const request = ErasureRequestType.create(requestId);
    request.request({
      familyId,
      memberId,
      reason: await this.sealForFamily(familyId, input.reason),
      requestedBy: user.sub,
    });
    const result = await this.repository.save(request, ErasureRequestType, {
      ...context,
      // A citizen's token name is the member's own name: it must not stay behind in plaintext
      // in the event's metadata after their data is erased.
      actor: isCitizen ? { userId: user.sub, role: 'citizen' } : context.actor,
      ...(isCitizen ? {} : { onBehalfOf: memberId }),
    });
    return { requestId, position: formatPosition(result!.position) };
  }

  async decide(
    input: ErasureDecisionInput,
    user: AuthUser,
    context: CommandContext,
  ): Promise<ErasureDecisionResult> {
    if (!user.roles.includes(PRIVACY_OFFICER)) {
      throw forbidden('Only the privacy officer decides on erasure requests');
    }
    const request = await this.repository.tryLoad(ErasureRequestType, input.requestId);
    const { familyId, status } = request?.currentState ?? {};
    if (!request || !familyId) throw notFound('No erasure request with this id');
    if (status !== 'open') {
      throw new DomainConflict(`This erasure request was already decided: ${status}`);
    }
    const reason = await this.sealForFamily(familyId, input.reason);
    if (input.grant) request.grant(reason, user.sub);
    else request.refuse(reason, user.sub);
    const result = await this.repository.save(request, ErasureRequestType, context);
    if (input.grant) await this.shred(request.currentState.subjects);
    return {
      position: formatPosition(result!.position),
      status: input.grant ? 'granted' : 'refused',
    };
  }

  /** Idempotent: a key that is already destroyed stays destroyed. */
  async shred(subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) await this.vault.shred(subject);
  }

  /** Texts about a request are sealed with the family's key, so they outlive the member's key. */
  private async sealForFamily(familyId: string, text: string): Promise<SealedText> {
    try {
      return { text, sealed: await this.vault.seal(familyId, text) };
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
