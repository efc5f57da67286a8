import { Inject, Injectable } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { FamilyActors } from '../families/family-actors.js';
import { dateOfBirthOf } from '../kernel/date-of-birth.js';
import type { FamilyContext } from './agreement.js';
import { NO_REGIE } from '../kernel/regie.js';
import { planDecider, type PlanCommand as DecidedCommand } from './plan.decide.js';
import type { PlanEvent } from './plan.events.js';
import { regieOf } from './plan.model.js';

/** Who asks, for which family, and (optionally) on which version of the plan they based it. */
export interface PlanCommandInput {
  readonly familyId: string;
  readonly user: AuthUser;
  readonly context: CommandContext;
  readonly ifMatch?: string;
}

/** Base of every plan command on the command bus: who, which family, and the request's body. */
export abstract class PlanCommand<Body, Result> extends Command<Result> {
  constructor(
    readonly input: PlanCommandInput,
    readonly body: Body,
  ) {
    super();
  }
}

/**
 * What only plans know about running a command through the pipeline: who may act (the
 * family's case team, regisseurs and team lead: 403 for who may only know of the family, 404
 * for the rest), what the rules need of the family, and that texts are sealed with its key.
 */
@Injectable()
export class PlanCommandService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  run(input: PlanCommandInput, command: DecidedCommand) {
    return this.pipeline.run({
      decider: planDecider,
      id: input.familyId,
      command,
      context: input.context,
      ifMatch: input.ifMatch,
      authorize: async (plans) => {
        const active = plans.plan && plans.plan.status !== 'closed' ? plans.plan : undefined;
        const regie = active ? regieOf(active) : NO_REGIE;
        const family = await this.actors.familyActedOnBy(input.familyId, input.user, regie);
        return {
          family: await familyContext(family, this.vault),
          now: this.clock.now(),
          actorId: input.user.sub,
          maxActiveGoals: this.config.MAX_ACTIVE_GOALS,
        };
      },
      seal: (event) => sealPlanEvent(event, (text) => this.vault.seal(input.familyId, text)),
    });
  }
}

/**
 * Seals the free texts a decided plan event carries (the family's and professionals' words,
 * action descriptions, notes), with the family's key. Everything else passes unchanged; a new
 * text field in an event type fails to compile here until it is sealed too.
 */
export async function sealPlanEvent(
  event: PlanEvent<string>,
  seal: (text: string) => Promise<Sealed>,
): Promise<PlanEvent> {
  switch (event.type) {
    case 'gezinsplan.GoalAdded': {
      const { goal } = event.data;
      const familyWording = await seal(goal.familyWording);
      const professionalWording =
        goal.professionalWording === null ? null : await seal(goal.professionalWording);
      return {
        ...event,
        data: { ...event.data, goal: { ...goal, familyWording, professionalWording } },
      };
    }
    case 'gezinsplan.ActionAdded': {
      const { action } = event.data;
      const description = await seal(action.description);
      return { ...event, data: { ...event.data, action: { ...action, description } } };
    }
    case 'gezinsplan.ProgressNoteAdded': {
      const { note } = event.data;
      return { ...event, data: { ...event.data, note: { ...note, text: await seal(note.text) } } };
    }
    default:
      return event;
  }
}

/** The family as stored (aggregate state and read model share this shape): personal data sealed. */
export interface StoredFamily {
  readonly members: ReadonlyArray<{
    memberId: string;
    role: 'parent' | 'child' | 'other';
    status: 'current' | 'departed';
    personal: string;
  }>;
  readonly networkIds: readonly string[];
  readonly caseTeam: ReadonlyArray<{ professionalId: string; organisation: string; name?: string }>;
}

/** Opens what the plan rules need (dates of birth, for ages); an erased member has none. */
export async function familyContext(
  family: StoredFamily,
  vault: PersonalDataVault,
): Promise<FamilyContext> {
  const members = await Promise.all(
    family.members.map(async ({ memberId, role, status, personal }) => ({
      memberId,
      role,
      status,
      dateOfBirth: await dateOfBirthOf(vault, personal),
    })),
  );
  return {
    members,
    networkIds: family.networkIds,
    caseTeam: family.caseTeam.map(({ professionalId, organisation, name }) => ({
      professionalId,
      organisation,
      name,
    })),
  };
}
