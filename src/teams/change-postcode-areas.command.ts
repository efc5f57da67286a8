import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { forbidden } from '#libs/http/problem-details.js';
import { TeamAreas } from './team-areas.js';
import { teamDecider } from './team.decide.js';

export class ChangePostcodeAreasCommand extends Command<{ position: string }> {
  constructor(
    readonly teamId: string,
    readonly postcodeAreas: readonly string[],
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** An administrator sets the postcode areas of a team's wijk, where concerns about residents go. */
@CommandHandler(ChangePostcodeAreasCommand)
export class ChangePostcodeAreasHandler implements ICommandHandler<ChangePostcodeAreasCommand> {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(TeamAreas) private readonly areas: TeamAreas,
  ) {}

  async execute({ teamId, postcodeAreas, user, context }: ChangePostcodeAreasCommand) {
    const { position } = await this.pipeline.run({
      decider: teamDecider,
      id: teamId,
      command: { type: 'ChangePostcodeAreas', teamId, postcodeAreas },
      context,
      authorize: async (team) => {
        if (!user.roles.includes('admin')) {
          throw forbidden("Only an administrator changes a team's postcode areas");
        }
        // An unknown team is 404 whatever areas were asked for.
        if (team.created) await this.areas.assertFree(teamId, postcodeAreas);
      },
      seal: async (event) => event,
    });
    return { position };
  }
}
