import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { InboxQuery } from './inbox.query.js';
import { ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { InboxDto } from './dto/inbox.dto.js';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/v1/me')
export class InboxController {
  constructor(@Inject(InboxQuery) private readonly inbox: InboxQuery) {}

  @Get('inbox')
  @ApiView({
    operationId: 'getInbox',
    summary: "The caller's cases and the escalations waiting on them",
    response: InboxDto,
  })
  get(@CurrentUser() user: AuthUser, @AccessPointOf() accessPoint: AccessPoint) {
    return this.inbox.forUser(user, accessPoint);
  }
}
