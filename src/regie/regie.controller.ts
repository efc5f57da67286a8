import { Body, Controller, Headers, Inject, Param, ParseEnumPipe, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../libs/aggregates/aggregate-repository.js';
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { uuidParam } from '../../libs/http/param-pipes.js';
import { validationProblem } from '../../libs/http/problem-details.js';
import { REGIE_ROLES, type RegieRole } from '../plans/plan.model.js';
import { AssignRegieCommand } from './assign-regie.command.js';
import { ProfessionalRefDto } from './dto/professional-ref.dto.js';

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
  assign(
    @Param('familyId', uuidParam('familyId')) familyId: string,
    @Param('role', roleParam()) role: RegieRole,
    @Body() body: ProfessionalRefDto,
    @CurrentUser() user: AuthUser,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.commands.execute(
      new AssignRegieCommand({ familyId, user, context, ifMatch }, { ...body, role }),
    );
  }
}
