import { Body, Controller, Inject, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '#libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '#libs/auth/auth-user.js';
import { CurrentUser } from '#libs/auth/jwt-auth.guard.js';
import { CommandCtx, IfMatch } from '#libs/http/command-context.decorator.js';
import { UuidParam } from '#libs/http/param-pipes.js';
import { validationProblem } from '#libs/http/problem-details.js';
import { REGIE_ROLES, type RegieRole } from '../kernel/regie.js';
import { AssignRegieCommand } from './assign-regie.command.js';
import { ProfessionalRefDto } from './dto/professional-ref.dto.js';
import { ApiCommand } from '#libs/http/openapi/api-operation.decorators.js';
import { PositionResponseDto } from '#libs/http/openapi/position-response.dto.js';

/** A role that is not one of the three is a 400 naming the parameter. */
function roleParam(): ParseEnumPipe {
  return new ParseEnumPipe(Object.fromEntries(REGIE_ROLES.map((r) => [r, r])), {
    exceptionFactory: () =>
      validationProblem([
        { field: 'role', messages: [`must be one of ${REGIE_ROLES.join(', ')}`] },
      ]),
  });
}

@ApiTags('regie')
@ApiBearerAuth()
@Controller('api/v1/families/:familyId/regie')
export class RegieController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  /** Assigns or hands over a regie role of the family's active plan. */
  @Put(':role')
  @ApiParam({ name: 'role', enum: REGIE_ROLES })
  @ApiCommand({
    operationId: 'assignRegie',
    summary: 'Assign or hand over a regie role',
    description:
      'Casusregie to someone on the case team; procesregie to an independent professional (not on the case team, holding no action) with a name and organisation (422 otherwise).',
    response: PositionResponseDto,
    problems: [403, 404, 409, 422],
    ifMatch: true,
    idempotencyKey: false,
  })
  assign(
    @UuidParam('familyId') familyId: string,
    @Param('role', roleParam()) role: RegieRole,
    @Body() body: ProfessionalRefDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @IfMatch() ifMatch?: string,
  ) {
    return this.commands.execute(
      new AssignRegieCommand({ familyId, user, context, ifMatch }, { ...body, role }),
    );
  }
}
