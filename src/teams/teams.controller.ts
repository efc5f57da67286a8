import { Body, Controller, Get, HttpCode, Inject, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import { notFound } from '#libs/http/problem-details.js';
import { ChangePostcodeAreasCommand } from './change-postcode-areas.command.js';
import { CreateTeamCommand } from './create-team.command.js';
import {
  CreateTeamDto,
  CreateTeamResponseDto,
  PostcodeAreasDto,
  TeamDashboardDto,
} from './dto/teams.dto.js';
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
  @ApiCommand({
    operationId: 'createTeam',
    summary: 'Create an SLT team (admin)',
    response: CreateTeamResponseDto,
    status: 201,
    problems: [403],
  })
  create(
    @Body() body: CreateTeamDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new CreateTeamCommand(body, user, context));
  }

  @Put(':teamId/postcode-areas')
  @ApiCommand({
    operationId: 'changeTeamPostcodeAreas',
    summary: "Set the postcode areas of a team's wijk (admin)",
    description:
      'All of them, as they now are. An area belongs to one team at most (409 when another team has it).',
    response: PositionResponseDto,
    idempotencyKey: false,
    problems: [403, 404, 409],
  })
  changePostcodeAreas(
    @UuidParam('teamId') teamId: string,
    @Body() body: PostcodeAreasDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(
      new ChangePostcodeAreasCommand(teamId, body.postcodeAreas, user, context),
    );
  }

  @Get(':teamId/dashboard')
  @ApiView({
    operationId: 'getTeamDashboard',
    summary: 'The SLT team dashboard: aggregates only, no personal data',
    description:
      "For the team's lead and professionals (token `teams`), admins and auditors; 404 for anybody else. Every read is logged.",
    response: TeamDashboardDto,
    problems: [404],
  })
  async dashboard(
    @UuidParam('teamId') teamId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const dashboard = await this.dashboards.find(teamId, user, accessPoint);
    if (!dashboard) throw notFound('No team with this id');
    return dashboard;
  }
}
