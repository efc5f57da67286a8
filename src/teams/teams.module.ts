import { Module } from '@nestjs/common';
import { ChangePostcodeAreasHandler } from './change-postcode-areas.command.js';
import { CreateTeamHandler } from './create-team.command.js';
import { TeamAreas } from './team-areas.js';
import { TeamDashboardQuery } from './team-dashboard.query.js';
import { TeamDashboardProjection } from './team-dashboard.projection.js';
import { TeamProjection } from './team.projection.js';
import { TeamsController } from './teams.controller.js';

/** SLT teams and the team lead's dashboard (issue 6). */
@Module({
  controllers: [TeamsController],
  providers: [
    CreateTeamHandler,
    ChangePostcodeAreasHandler,
    TeamAreas,
    TeamDashboardQuery,
    TeamProjection,
    TeamDashboardProjection,
  ],
  exports: [TeamProjection, TeamDashboardProjection],
})
export class TeamsModule {}
