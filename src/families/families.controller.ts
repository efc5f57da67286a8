import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser, Role } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import { AddMemberCommand } from './add-member.command.js';
import { AddNetworkMemberCommand } from './add-network-member.command.js';
import { AddMemberResponseDto } from './dto/add-member.dto.js';
import { AddNetworkMemberResponseDto } from './dto/add-network-member.dto.js';
import { JoinCaseTeamDto } from './dto/join-case-team.dto.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { RecordDepartureDto } from './dto/record-departure.dto.js';
import {
  NewMemberDto,
  NewNetworkMemberDto,
  RegisterFamilyDto,
  RegisterFamilyResponseDto,
} from './dto/register-family.dto.js';
import { FamilyViewQuery } from './family-view.query.js';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import { JoinCaseTeamCommand } from './join-case-team.command.js';
import { RecordDepartureCommand } from './record-departure.command.js';
import { RegisterFamilyCommand } from './register-family.command.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { FamilyViewDto } from './dto/family-view.dto.js';

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
  @ApiCommand({
    operationId: 'registerFamily',
    summary: 'Register a family; the caller joins its case team',
    description:
      'For SLT professionals and team leads, for one of their own teams (403 otherwise).',
    response: RegisterFamilyResponseDto,
    status: 201,
    problems: [403],
  })
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
  @ApiView({
    operationId: 'getFamily',
    summary: 'The family, scoped to the caller',
    description:
      'Full (BSN masked) for the casusregisseur; names, ages and roles for the case team; pseudonyms for SLT colleagues, team leads and auditors (privacy.md).',
    response: FamilyViewDto,
    problems: [404],
  })
  async get(
    @UuidParam('familyId') familyId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    const view = await this.families.find(familyId, user, accessPoint);
    if (!view) throw notFound('No family with this id');
    return view;
  }

  @Post(':familyId/members')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'addMember',
    summary: 'Add a member to the family',
    response: AddMemberResponseDto,
    status: 201,
    problems: [403, 404],
  })
  addMember(
    @UuidParam('familyId') familyId: string,
    @Body() body: NewMemberDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AddMemberCommand(familyId, body, user, context));
  }

  @Post(':familyId/members/:memberId/departure')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'recordDeparture',
    summary: 'Record that a member left the family',
    response: PositionResponseDto,
    problems: [403, 404],
  })
  recordDeparture(
    @UuidParam('familyId') familyId: string,
    @UuidParam('memberId') memberId: string,
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
  @ApiCommand({
    operationId: 'addNetworkMember',
    summary: "Add someone of the family's network",
    response: AddNetworkMemberResponseDto,
    status: 201,
    problems: [403, 404],
  })
  addNetworkMember(
    @UuidParam('familyId') familyId: string,
    @Body() body: NewNetworkMemberDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new AddNetworkMemberCommand(familyId, body, user, context));
  }

  @Post(':familyId/case-team')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'joinCaseTeam',
    summary: 'Add a professional to the case team',
    response: PositionResponseDto,
    problems: [403, 404],
  })
  joinCaseTeam(
    @UuidParam('familyId') familyId: string,
    @Body() body: JoinCaseTeamDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new JoinCaseTeamCommand(familyId, body, user, context));
  }
}
