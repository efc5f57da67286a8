import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';
import { noBody, UuidParam } from '#libs/http/param-pipes.js';
import {
  DismissConcernCommand,
  LiftSafetyRestrictionCommand,
  LinkConcernCommand,
  RecordContactAttemptCommand,
  RejectMatchCommand,
  ReopenConcernCommand,
  TakeUpConcernCommand,
} from './concern-steps.command.js';
import { ConcernViewQuery } from './concern-view.query.js';
import { RegisterFromConcernCommand } from './register-from-concern.command.js';
import {
  ConcernFamilyDto,
  ConcernReasonDto,
  ContactAttemptDto,
  ContactAttemptResponseDto,
  LinkConcernDto,
  RegisteredFromConcernDto,
  RegisterFromConcernDto,
} from './dto/concern-commands.dto.js';
import {
  ConcernDto,
  ConcernQueueDto,
  ConcernQueueFiltersDto,
  MyConcernsDto,
} from './dto/concern-views.dto.js';
import { FileConcernDto, FileConcernResponseDto } from './dto/file-concern.dto.js';
import { FileConcernCommand } from './file-concern.command.js';

@ApiTags('concerns')
@ApiBearerAuth()
@Controller('api/v1')
export class ConcernsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ConcernViewQuery) private readonly views: ConcernViewQuery,
  ) {}

  @Post('concerns')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'fileConcern',
    summary: 'File a concern about a person (any professional)',
    description:
      "Goes to the team whose wijk holds the subject's postcode area (422 when none does). The answer is the same whether or not the subject is known.",
    response: FileConcernResponseDto,
    status: 201,
    problems: [403, 422],
  })
  file(
    @Body() body: FileConcernDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new FileConcernCommand(body, user, context));
  }

  @Get('concerns/mine')
  @ApiView({
    operationId: 'listMyConcerns',
    summary: 'The concerns the caller filed, with their status and contact',
    description:
      'Other organisations that filed about the same person are named, never what they filed; whether the subject is a known family is never said.',
    response: MyConcernsDto,
  })
  mine(@CurrentUser() user: AuthUser, @AccessPointOf() accessPoint: AccessPoint) {
    return this.views.mine(user, accessPoint);
  }

  @Get('teams/:teamId/concerns')
  @ApiView({
    operationId: 'listTeamConcerns',
    summary: "Intake's queue: the concerns about residents of the team's wijk",
    description:
      "For the team's professionals and lead (404 for anybody else), with a match suggestion per concern.",
    response: ConcernQueueDto,
    problems: [404],
  })
  queue(
    @UuidParam('teamId') teamId: string,
    @Query() filters: ConcernQueueFiltersDto,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.views.queue(teamId, user, accessPoint, filters);
  }

  @Get('concerns/:concernId')
  @ApiView({
    operationId: 'getConcern',
    summary: 'One concern, as wide as the caller may see it',
    description:
      "Intake and the linked family's casusregisseur see all of it, the reporter what they sent, the case team its category and date; 404 for anybody else.",
    response: ConcernDto,
    problems: [404],
  })
  one(
    @UuidParam('concernId') concernId: string,
    @CurrentUser() user: AuthUser,
    @AccessPointOf() accessPoint: AccessPoint,
  ) {
    return this.views.one(concernId, user, accessPoint);
  }

  @Post('concerns/:concernId/triage')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'takeUpConcern',
    description:
      "For the intake of the subject's team; 403 for the reporter, 404 for anybody else; 409 when someone already did.",
    summary: 'Take the concern up (intake); the caller becomes its contact',
    response: PositionResponseDto,
    problems: [403, 404, 409],
  })
  takeUp(
    @UuidParam('concernId') concernId: string,
    @Body(noBody) body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new TakeUpConcernCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/link')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'linkConcern',
    description:
      'A current member may be named (memberId); 422 when the family or member does not exist.',
    summary: 'Link the concern to a known family; its casusregisseur is told',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  link(
    @UuidParam('concernId') concernId: string,
    @Body() body: LinkConcernDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new LinkConcernCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/match-rejection')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'rejectConcernMatch',
    description:
      'Remembered, so the same family is not proposed for this concern again; 409 when already rejected.',
    summary: 'The subject is not part of this family: never proposed again',
    response: PositionResponseDto,
    problems: [403, 404, 409],
  })
  rejectMatch(
    @UuidParam('concernId') concernId: string,
    @Body() body: ConcernFamilyDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new RejectMatchCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/registration')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'registerFamilyFromConcern',
    summary: 'Register a new family from the concern (intake); the caller joins its case team',
    description:
      "The concern's team and the subject's address are filled in; the concern becomes registered. Refused (409) before anything is registered unless the concern was taken up.",
    response: RegisteredFromConcernDto,
    status: 201,
    problems: [403, 404, 409],
  })
  register(
    @UuidParam('concernId') concernId: string,
    @Body() body: RegisterFromConcernDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new RegisterFromConcernCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/contact-attempts')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'recordConcernContactAttempt',
    description:
      'Three not_reached attempts within 20 working days alert the team lead; declined closes the concern (a safety concern stays open and alerts the team lead).',
    summary: 'Record an attempt to reach the subject (outreach)',
    response: ContactAttemptResponseDto,
    status: 201,
    problems: [403, 404, 409],
  })
  contactAttempt(
    @UuidParam('concernId') concernId: string,
    @Body() body: ContactAttemptDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new RecordContactAttemptCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/dismissal')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'dismissConcern',
    description: "For intake; the reason is sealed with the concern's key.",
    summary: 'Dismiss the concern, with a reason',
    response: PositionResponseDto,
    problems: [403, 404, 409],
  })
  dismiss(
    @UuidParam('concernId') concernId: string,
    @Body() body: ConcernReasonDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new DismissConcernCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/reopening')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'reopenConcern',
    description: 'Once per concern, within 30 days of closing.',
    summary: 'Reopen a closed concern, once, within 30 days',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  reopen(
    @UuidParam('concernId') concernId: string,
    @Body() body: ConcernReasonDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new ReopenConcernCommand(concernId, user, context, body));
  }

  @Post('concerns/:concernId/safety-restriction-lift')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'liftConcernSafetyRestriction',
    summary: 'Let the subject see this safety concern (intake)',
    description:
      "A concern of category safety is withheld from its subject's GET /me/data and access log until intake lifts that; 422 for any other category, 409 when already lifted.",
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
  })
  liftSafetyRestriction(
    @UuidParam('concernId') concernId: string,
    @Body(noBody) body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(new LiftSafetyRestrictionCommand(concernId, user, context, body));
  }
}
