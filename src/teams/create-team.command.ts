import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  AggregateRepository,
  type CommandContext,
} from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { formatPosition } from '../../libs/event-store/position.js';
import { forbidden } from '../../libs/http/problem-details.js';
import type { CreateTeamDto } from './dto/teams.dto.js';
import { TeamType } from './team.aggregate.js';

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
  constructor(@Inject(AggregateRepository) private readonly repository: AggregateRepository) {}

  async execute({ body, user, context }: CreateTeamCommand) {
    if (!user.roles.includes('admin')) throw forbidden('Only an administrator creates teams');
    const teamId = randomUUID();
    const team = TeamType.create(teamId);
    team.create({ name: body.name, wijk: body.wijk, stadsdeel: body.stadsdeel });
    const result = await this.repository.save(team, TeamType, context);
    return { teamId, position: formatPosition(result!.position) };
  }
}
