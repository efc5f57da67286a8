import { Body, Controller, Delete, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { noBody, uuidParam } from '../../libs/http/param-pipes.js';
import { validationProblem } from '../../libs/http/problem-details.js';
import { GrantConsentCommand, WithdrawConsentCommand } from './consent.commands.js';
import { GrantConsentDto } from './dto/grant-consent.dto.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1/families/:familyId/members/:memberId/consents')
export class ConsentsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  grant(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('memberId', uuidParam('memberId')) memberId: string,
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
  withdraw(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('memberId', uuidParam('memberId')) memberId: string,
    @Param('consentId', uuidParam('consentId')) consentId: string,
    @Body(noBody) _body: undefined,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
  ) {
    return this.commands.execute(
      new WithdrawConsentCommand(familyId, memberId, { consentId }, user, context),
    );
  }
}
