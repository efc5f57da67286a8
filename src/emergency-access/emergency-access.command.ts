import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app.config.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import {
  emergencyAccessDecider,
  type EmergencyAccessCommand,
  type EmergencyAccessState,
} from './emergency-access.decide.js';
import type {
  DecidedEmergencyAccessEvent,
  EmergencyAccessEvent,
} from './emergency-access.events.js';

/** What one command's own check of access gathers: a grant's search finds families. */
export interface EmergencyAccessAuthorized {
  readonly found?: readonly string[];
}

/**
 * What only emergency access knows about running a command through the pipeline: the moment
 * and how long a grant lasts, and that what is searched for and written is sealed with a key
 * of the access itself. Who may act is each command's own (`authorize`).
 */
@Injectable()
export class EmergencyAccessCommandService {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  run(
    command: EmergencyAccessCommand,
    context: CommandContext,
    authorize: (state: EmergencyAccessState) => Promise<EmergencyAccessAuthorized>,
  ) {
    return this.pipeline.run({
      decider: emergencyAccessDecider,
      id: command.accessId,
      command,
      context,
      authorize: async (state) => {
        const { found = [] } = await authorize(state);
        return {
          found,
          now: this.clock.now(),
          accessHours: this.config.EMERGENCY_ACCESS_HOURS,
        };
      },
      seal: (event) =>
        sealEmergencyAccessEvent(event, (value) => this.vault.seal(command.accessId, value)),
    });
  }
}

/** Seals the subject and the texts of a decided event; a new sealed field fails to compile here. */
export async function sealEmergencyAccessEvent(
  event: DecidedEmergencyAccessEvent,
  seal: (value: unknown) => Promise<Sealed>,
): Promise<EmergencyAccessEvent> {
  switch (event.type) {
    case 'emergency.AccessGranted': {
      const subject = await seal(event.data.subject);
      const reason = await seal(event.data.reason);
      return { ...event, data: { ...event.data, subject, reason } };
    }
    case 'emergency.AccessReviewed':
      return { ...event, data: { ...event.data, note: await seal(event.data.note) } };
  }
}
