import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { notFound } from '../../libs/http/problem-details.js';
import { CreateTeamCommand } from './create-team.command.js';
import { CreateTeamDto, CreateTeamResponseDto, TeamDashboardDto } from './dto/teams.dto.js';
import { TeamDashboardQuery } from './team-dashboard.query.js';

@ApiTags('teams')
@ApiBearerAuth()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(TeamDashboardQuery) private readonly dashboards: TeamDashboardQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an SLT team (admin); 403 for anyone else' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreateTeamResponseDto })
  create(
    @Body() body: CreateTeamDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new CreateTeamCommand(body, user, context));
  }

  @Get(':teamId/dashboard')
  @ApiOperation({
    summary: 'The SLT team dashboard: aggregates only, no personal data',
    description:
      "For the team's lead and professionals (token `teams`), admins and auditors; 404 for anybody else. Every read is logged.",
  })
  @ApiHeader({ name: 'X-Consistent-After', required: false })
  @ApiOkResponse({ type: TeamDashboardDto })
  async dashboard(
    @Param('teamId', uuidParam('teamId')) teamId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const dashboard = await this.dashboards.find(teamId, user, accessPoint);
    if (!dashboard) throw notFound('No team with this id');
    return dashboard;
  }
}
