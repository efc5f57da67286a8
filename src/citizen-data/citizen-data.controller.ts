import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccessPointOf, type AccessPoint } from '#libs/access-log/access-point.decorator.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { CitizenDataQuery } from './citizen-data.query.js';
import { CitizenDataDto } from './dto/citizen-data.dto.js';

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('api/v1')
export class CitizenDataController {
  constructor(@Inject(CitizenDataQuery) private readonly citizens: CitizenDataQuery) {}

  @Get('me/data')
  @ApiView({
    operationId: 'getMyData',
    summary: "A citizen's own data",
    response: CitizenDataDto,
    problems: [403, 404],
  })
  myData(@CurrentUser() user: AuthUser, @AccessPointOf() accessPoint: AccessPoint) {
    return this.citizens.own(user, accessPoint);
  }
}
