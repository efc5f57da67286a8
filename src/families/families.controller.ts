import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser, Role } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { forbidden, notFound } from '../../libs/http/problem-details.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { AddMemberCommand } from './add-member.command.js';
import { AddNetworkMemberCommand } from './add-network-member.command.js';
import { AddMemberResponseDto } from './dto/add-member.dto.js';
import { AddNetworkMemberResponseDto } from './dto/add-network-member.dto.js';
import { JoinCaseTeamDto } from './dto/join-case-team.dto.js';
import { PositionResponseDto } from './dto/position-response.dto.js';
import { RecordDepartureDto } from './dto/record-departure.dto.js';
import {
  NewMemberDto,
  NewNetworkMemberDto,
  RegisterFamilyDto,
  RegisterFamilyResponseDto,
} from './dto/register-family.dto.js';
import { FamilyViewQuery } from './family-view.query.js';
import { AccessPointOf, type AccessPoint } from '../../libs/access-log/access-point.decorator.js';
import { JoinCaseTeamCommand } from './join-case-team.command.js';
import { RecordDepartureCommand } from './record-departure.command.js';
import { RegisterFamilyCommand } from './register-family.command.js';

/** Who may register a family: the SLT's own people. */
const REGISTRARS: readonly Role[] = ['professional', 'team_lead'];

@ApiTags('families')
@ApiBearerAuth()
@Controller('api/v1/families')
export class FamiliesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(FamilyViewQuery) private readonly families: FamilyViewQuery,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: RegisterFamilyResponseDto })
  register(
    @Body() body: RegisterFamilyDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    // SLT professionals register families (domain.md, "Actors"); an auditor, citizen, policy
    // analyst or privacy officer may not create a case, let alone join its case team.
    if (!user.roles.some((role) => REGISTRARS.includes(role))) {
      throw forbidden('Only SLT professionals and team leads register families');
    }
    // A family joins the caseload of the registrar's own team, never another team's.
    if (!user.teams.includes(body.teamId)) {
      throw forbidden('A family is registered for one of your own teams');
    }
    // The caller joins the case team; the token carries no discipline, so the organisation's
    // team kind stands in until case-team management (issue: gezinsplan) records it.
    const registeredBy = {
      professionalId: user.sub,
      name: user.name,
      organisation: user.organisation,
      discipline: 'SLT',
    };
    return this.commands.execute(new RegisterFamilyCommand(body, registeredBy, context));
  }

  @Get(':familyId')
  @ApiHeader({ name: 'X-Consistent-After', required: false })
  @ApiOkResponse({ description: 'The family, scoped to the caller' })
  async get(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const view = await this.families.find(familyId, user, accessPoint);
    if (!view) throw notFound('No family with this id');
    return view;
  }

  @Post(':familyId/members')
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: AddMemberResponseDto })
  addMember(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: NewMemberDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AddMemberCommand(familyId, body, user, context));
  }

  @Post(':familyId/members/:memberId/departure')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: PositionResponseDto })
  recordDeparture(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('memberId', uuidParam('memberId')) memberId: string,
    @Body() body: RecordDepartureDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(
      new RecordDepartureCommand(familyId, memberId, body, user, context),
    );
  }

  @Post(':familyId/network')
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: AddNetworkMemberResponseDto })
  addNetworkMember(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: NewNetworkMemberDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AddNetworkMemberCommand(familyId, body, user, context));
  }

  @Post(':familyId/case-team')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: PositionResponseDto })
  joinCaseTeam(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Body() body: JoinCaseTeamDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new JoinCaseTeamCommand(familyId, body, user, context));
  }
}
