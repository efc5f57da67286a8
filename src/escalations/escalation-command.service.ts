import { Inject, Injectable } from '@nestjs/common';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import { DomainConflict } from '#libs/aggregates/domain-errors.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import type { Decider } from '#libs/deciders/decider.js';
import { WrongExpectedVersionError } from '#libs/event-store/errors.js';
import { notFound } from '#libs/http/problem-details.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { FamilyActors } from '../families/family-actors.js';
import { FamilyStates } from '../families/family-states.js';
import { EscalationAccess } from './escalation-access.js';
import {
  decideEscalation,
  escalationDecider,
  type EscalationCommand,
  type EscalationContext,
} from './escalation.decide.js';
import type { DecidedEscalationEvent, EscalationEvent } from './escalation.events.js';
import type { EscalationState } from './escalation.evolve.js';
import type { Escalation, Holder } from './escalation.model.js';
import { LADDER, type Ladder } from './ladder.js';

/**
 * What a command is, once it is known which escalation it is on and who asks: its access
 * check (403/404 from EscalationAccess) and the typed command, which may name people only the
 * escalation's family tells (the standing procesregisseur, an appointee's independence).
 */
export type EscalationStep = (
  escalation: Escalation,
  access: EscalationAccess,
) => EscalationCommand | Promise<EscalationCommand>;

/** The context of one run: the decision's, and the command the step built from the state. */
interface StepContext extends EscalationContext {
  readonly command: EscalationCommand;
}

/**
 * The escalation decider as the pipeline runs it here: the command is built in `authorize`,
 * after the stream is loaded, as the escalation's family is known only then.
 */
const stepDecider: Decider<
  EscalationState,
  undefined,
  EscalationEvent,
  DecidedEscalationEvent,
  StepContext
> = {
  ...escalationDecider,
  decide: (_, state, context) => decideEscalation(context.command, state, context),
};

/**
 * What only escalations know about running a command through the pipeline: who may know of
 * the escalation (404 for the rest) and act on it, that free texts about a family
 * (descriptions, reasons, decisions) are sealed with its key after the decision, and that a
 * concurrent change is answered with the conflict escalations always gave.
 */
@Injectable()
export class EscalationCommandService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LADDER) private readonly ladder: Ladder,
    @Inject(FamilyStates) private readonly families: FamilyStates,
    @Inject(FamilyActors) private readonly actors: FamilyActors,
  ) {}

  context(): EscalationContext {
    return { now: this.clock.now(), ladder: this.ladder };
  }

  /** The escalation as its stream says; undefined while it was never raised. */
  async load(escalationId: string): Promise<Escalation | undefined> {
    return (await this.repository.loadState(escalationDecider, escalationId))?.state.escalation;
  }

  /** A command of someone on an existing escalation: 404 unless they may know of it. */
  run(
    escalationId: string,
    user: AuthUser,
    context: CommandContext,
    step: EscalationStep,
  ): Promise<{ position: string }> {
    return this.pipe(escalationId, context, async (escalation) => {
      if (!escalation) throw notFound('No escalation with this id');
      const family = await this.families.get(escalation.familyId);
      const regie = await this.actors.regie(escalation.familyId);
      const access = new EscalationAccess(escalation, family, regie, user);
      access.assertVisible();
      return { familyId: escalation.familyId, command: await step(escalation, access) };
    });
  }

  /**
   * The one way an escalation's events are stored: `build` sees the loaded escalation (none
   * for a new stream) and answers the command, or throws the refusal.
   */
  async pipe(
    escalationId: string,
    context: CommandContext,
    build: (
      escalation: Escalation | undefined,
    ) => Promise<{ familyId: string; command: EscalationCommand }>,
  ): Promise<{ position: string }> {
    // Whose key seals the texts: known once `build` has seen the escalation.
    let familyId = '';
    try {
      const { position } = await this.pipeline.run({
        decider: stepDecider,
        id: escalationId,
        command: undefined,
        context,
        authorize: async (state) => {
          const built = await build(state.escalation);
          familyId = built.familyId;
          return { ...this.context(), command: built.command };
        },
        seal: (event) => sealEscalationEvent(event, (text) => this.vault.seal(familyId, text)),
      });
      return { position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new DomainConflict(
          'The escalation changed at the same moment; read it again and retry',
        );
      }
      throw error;
    }
  }

  /**
   * Who holds the next level at once: a procesregisseur the family already has takes level 1;
   * level 2 waits for the appointment of a brandpuntfunctionaris.
   */
  async nextHolder(escalation: { familyId: string; level: number }): Promise<Holder | null> {
    if (escalation.level !== 0) return null;
    return (await this.actors.regie(escalation.familyId)).procesregisseur;
  }
}

/**
 * Seals the free texts a decided escalation event carries (a signal's description, reasons,
 * a decision's texts, outcomes), with the family's key. The reason of an automatic step is the
 * system's own sentence and stays readable.
 */
export async function sealEscalationEvent(
  event: DecidedEscalationEvent,
  seal: (text: string) => Promise<Sealed>,
): Promise<EscalationEvent> {
  switch (event.type) {
    case 'escalation.SignalRaised':
      return { ...event, data: { ...event.data, description: await seal(event.data.description) } };
    case 'escalation.Escalated': {
      const { data } = event;
      if (data.automatic) return { ...event, data };
      return { ...event, data: { ...data, reason: await seal(data.reason) } };
    }
    case 'escalation.DecisionTaken': {
      const { data } = event;
      const solution = await seal(data.solution);
      const justification = await seal(data.justification);
      const directives = [];
      for (const d of data.directives) {
        directives.push({ ...d, description: await seal(d.description) });
      }
      return { ...event, data: { ...data, solution, justification, directives } };
    }
    case 'escalation.Resolved':
      return { ...event, data: { ...event.data, outcome: await seal(event.data.outcome) } };
    case 'escalation.Withdrawn':
      return { ...event, data: { ...event.data, reason: await seal(event.data.reason) } };
    case 'escalation.Reopened':
      return { ...event, data: { ...event.data, reason: await seal(event.data.reason) } };
    default:
      return event;
  }
}
