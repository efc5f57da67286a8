import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CommandPipeline } from '#libs/deciders/command-pipeline.js';
import { forbidden } from '#libs/http/problem-details.js';
import type { CreateTeamDto } from './dto/teams.dto.js';
import { TeamAreas } from './team-areas.js';
import { teamDecider } from './team.decide.js';

export class CreateTeamCommand extends Command<{ teamId: string; position: string }> {
  constructor(
    readonly body: CreateTeamDto,
    readonly user: AuthUser,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Only an administrator creates a team (a team is no secret: 403, not 404). */
@CommandHandler(CreateTeamCommand)
export class CreateTeamHandler implements ICommandHandler<CreateTeamCommand> {
  constructor(
    @Inject(CommandPipeline) private readonly pipeline: CommandPipeline,
    @Inject(TeamAreas) private readonly areas: TeamAreas,
  ) {}

  async execute({ body, user, context }: CreateTeamCommand) {
    const teamId = randomUUID();
    const { position } = await this.pipeline.run({
      decider: teamDecider,
      id: teamId,
      command: {
        type: 'CreateTeam',
        teamId,
        profile: { name: body.name, wijk: body.wijk, stadsdeel: body.stadsdeel },
        postcodeAreas: body.postcodeAreas,
      },
      context,
      authorize: async () => {
        if (!user.roles.includes('admin')) throw forbidden('Only an administrator creates teams');
        await this.areas.assertFree(teamId, body.postcodeAreas ?? []);
      },
      // Nothing of a team is personal data.
      seal: async (event) => event,
    });
    return { teamId, position };
  }
}
