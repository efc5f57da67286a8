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
import type { AuthUser } from '../../libs/auth/auth-user.js';
import { CurrentUser } from '../../libs/auth/jwt-auth.guard.js';
import { CommandCtx } from '../../libs/http/command-context.decorator.js';
import { notFound } from '../../libs/http/problem-details.js';
import { uuidParam } from '../../libs/http/uuid-param.pipe.js';
import { RegisterFamilyDto, RegisterFamilyResponseDto } from './dto/register-family.dto.js';
import { FamilyViewQuery } from './family-view.query.js';
import { RegisterFamilyCommand } from './register-family.command.js';

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
  ) {
    const view = await this.families.find(familyId, user);
    if (!view) throw notFound('No family with this id');
    return view;
  }
}
