import { Inject, Injectable } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import { AggregateRepository, type CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import type { ConcernDeadlines } from '../../config/municipalities.js';
import {
  concernDecider,
  decideConcern,
  type ConcernCommand,
  type ConcernDecisionContext,
} from './concern.decide.js';
import type { ConcernEvent } from './concern.events.js';
import { intakeOnly } from './concern-access.js';
import type { ConcernState } from './concern.evolve.js';
import type { ConcernActor } from './concern.model.js';

/** The municipality's working days and concern deadlines (provided by the concerns module). */
export const CONCERN_RULES = Symbol('CONCERN_RULES');
export interface ConcernRules {
  readonly calendar: WorkingDayCalendar;
  readonly deadlines: ConcernDeadlines;
}

/** Base of every command on an existing concern: which one, who asks, and the body. */
export abstract class ConcernStepCommand<
  Body,
  Result = { position: string },
> extends Command<Result> {
  constructor(
    readonly concernId: string,
    readonly user: AuthUser,
    readonly context: CommandContext,
    readonly body: Body,
  ) {
    super();
  }
}

export const actorOf = (user: AuthUser): ConcernActor => ({
  professionalId: user.sub,
  name: user.name,
  organisation: user.organisation,
});

/**
 * What only concerns know about running a command through the pipeline: the rules of the
 * decision (now, the calendar, the municipality's deadlines, the retention period), and that
 * everything personal of a concern is sealed with its own key after the decision, so that
 * shredding that one key destroys it.
 */
@Injectable()
export class ConcernCommandService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(AggregateRepository) private readonly repository: AggregateRepository,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONCERN_RULES) private readonly rules: ConcernRules,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The concern as its stream says (a timer asks whether something is still due). */
  async load(concernId: string): Promise<ConcernState> {
    const loaded = await this.repository.loadState(concernDecider, concernId);
    return loaded?.state ?? concernDecider.initialState;
  }

  /** A step of intake on the concern: for the intake of its team only (concern-access.ts). */
  async asIntake(
    step: { concernId: string; user: AuthUser; context: CommandContext },
    command: ConcernCommand,
  ): Promise<{ position: string }> {
    const { position } = await this.run(step.concernId, command, step.context, (state) =>
      intakeOnly(step.user, state),
    );
    return { position };
  }

  /**
   * For the system's own timers: runs `command` only when it decides something now. A timer may
   * fire late or twice, and the pipeline refuses a command that decides nothing; a concern
   * never filed or already destroyed is left alone. Answers the concern as it then is.
   */
  async runIfDue(
    concernId: string,
    command: ConcernCommand,
    context: CommandContext,
  ): Promise<ConcernState> {
    const state = await this.load(concernId);
    const gone = !state.concern || state.concern.status === 'destroyed';
    if (gone || decideConcern(command, state, this.decisionContext()).length === 0) return state;
    // Nothing is disclosed to the system, so there is nobody to authorize; a concurrent run
    // makes the append fail, and the timer's retry then finds nothing left to do.
    return (await this.run(concernId, command, context, () => undefined)).state;
  }

  /**
   * Destroys the concern (after retention, or with its member's erasure) and then shreds its
   * key. The record comes first: a key is never gone without a record of why. A run that finds
   * it destroyed already, because an earlier one stopped before the shred, shreds again.
   */
  async destroy(
    concernId: string,
    command: Extract<ConcernCommand, { type: 'Destroy' | 'Erase' }>,
    context: CommandContext,
  ): Promise<void> {
    const { concern } = await this.runIfDue(concernId, command, context);
    if (concern?.status === 'destroyed') await this.vault.shred(concernId);
  }

  decisionContext(): ConcernDecisionContext {
    return {
      now: this.clock.now().toISOString(),
      calendar: this.rules.calendar,
      deadlines: this.rules.deadlines,
      retentionMonths: this.config.CONCERN_RETENTION_MONTHS,
    };
  }

  /**
   * `authorize` throws the 403/404 of who may not act (it sees the concern as stored), and may
   * add to the decision what only an authorized caller may learn (a family's casusregisseur).
   */
  run(
    concernId: string,
    command: ConcernCommand,
    context: CommandContext,
    authorize: (
      state: ConcernState,
    ) => void | Partial<ConcernDecisionContext> | Promise<void | Partial<ConcernDecisionContext>>,
  ) {
    return this.pipeline.run({
      decider: concernDecider,
      id: concernId,
      command,
      context,
      authorize: async (state) => ({
        ...this.decisionContext(),
        ...(await authorize(state)),
      }),
      seal: (event) => sealConcernEvent(event, (value) => this.vault.seal(concernId, value)),
    });
  }
}

/** Seals what a decided concern event carries of people; a new personal field fails to compile here. */
export async function sealConcernEvent(
  event: ConcernEvent<'open'>,
  seal: (value: unknown) => Promise<Sealed>,
): Promise<ConcernEvent> {
  switch (event.type) {
    case 'concern.ConcernReceived': {
      const { onBehalfOf, subject, description, ...data } = event.data;
      return {
        ...event,
        data: {
          ...data,
          ...(onBehalfOf === undefined ? {} : { onBehalfOf: await seal(onBehalfOf) }),
          subject: await seal(subject),
          description: await seal(description),
        },
      };
    }
    case 'concern.ContactAttemptRecorded': {
      const { note, ...data } = event.data;
      return {
        ...event,
        data: { ...data, ...(note === undefined ? {} : { note: await seal(note) }) },
      };
    }
    case 'concern.ConcernDismissed':
    case 'concern.ConcernReopened':
      return {
        ...event,
        data: { ...event.data, reason: await seal(event.data.reason) },
      } as ConcernEvent;
    default:
      return event;
  }
}
