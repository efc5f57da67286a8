import { Body, Controller, Delete, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '#libs/http/command-context.decorator.js';
import { noBody, UuidParam } from '#libs/http/param-pipes.js';
import { validationProblem } from '#libs/http/problem-details.js';
import { GrantConsentCommand, WithdrawConsentCommand } from './consent.commands.js';
import { ConsentGrantedDto, GrantConsentDto } from './dto/grant-consent.dto.js';
import { ApiCommand } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';

@ApiTags('consents')
@ApiBearerAuth()
@Controller('api/v1/families/:familyId/members/:memberId/consents')
export class ConsentsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCommand({
    operationId: 'grantConsent',
    summary: "Record a member's consent to share a life domain with an organisation or member",
    description: 'Exactly one grantee: `organisation` or `memberId` (400 otherwise).',
    response: ConsentGrantedDto,
    status: 201,
    problems: [403, 404, 409],
  })
  grant(
    @UuidParam('familyId') familyId: string,
    @UuidParam('memberId') memberId: string,
    @Body() body: GrantConsentDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    if ((body.organisation === undefined) === (body.memberId === undefined)) {
      throw validationProblem([
        { field: 'organisation', messages: ['give exactly one grantee: organisation or memberId'] },
        { field: 'memberId', messages: ['give exactly one grantee: organisation or memberId'] },
      ]);
    }
    return this.commands.execute(new GrantConsentCommand(familyId, memberId, body, user, context));
  }

  /** Withdrawal takes effect at once in every view. */
  @Delete(':consentId')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'withdrawConsent',
    summary: 'Withdraw a consent; takes effect at once in every view',
    response: PositionResponseDto,
    problems: [403, 404, 409],
    idempotencyKey: false,
  })
  withdraw(
    @UuidParam('familyId') familyId: string,
    @UuidParam('memberId') memberId: string,
    @UuidParam('consentId') consentId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(
      new WithdrawConsentCommand(familyId, memberId, { consentId }, user, context),
    );
  }
}
