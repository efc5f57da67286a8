import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '#libs/auth/jwt-auth.guard.js';
import { DevTokenService, TOKEN_VERIFIER } from '#libs/auth/token-verifier.js';
import { AdjustableClock, CLOCK } from '#libs/clock/index.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { formatPosition } from '#libs/event-store/position.js';
import { DueWork } from '../core/due-work.js';
import { ApiCommand, ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import {
  DevClockDto,
  DevClockMovedDto,
  DevClockRequestDto,
  DevTokenDto,
  DevTokenRequestDto,
} from './dev.dto.js';

/** Development mode only: this controller is not registered with a production configuration. */
@ApiTags('development')
@Controller('api/v1/dev')
export class DevController {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly tokens: DevTokenService,
    @Inject(CLOCK) private readonly clock: AdjustableClock,
    @Inject(DueWork) private readonly due: DueWork,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Public()
  @Post('tokens')
  @HttpCode(201)
  @ApiCommand({
    operationId: 'issueDevToken',
    summary: 'Issue a development token with the claims given',
    response: DevTokenDto,
    status: 201,
    isPublic: true,
  })
  async token(@Body() body: DevTokenRequestDto): Promise<{ token: string }> {
    return { token: await this.tokens.issue({ ...body, teams: body.teams ?? [] }) };
  }

  @Public()
  @Get('clock')
  @ApiView({
    operationId: 'getDevClock',
    summary: 'The development clock',
    response: DevClockDto,
    isPublic: true,
  })
  now(): { now: string } {
    return { now: this.clock.now().toISOString() };
  }

  /**
   * Moves time forward only (history must never be recorded out of order), then processes
   * everything that became due, before answering: a client sees the effects at once. The
   * answer's `position` covers what the timers appended (for X-Consistent-After).
   */
  @Public()
  @Post('clock')
  @HttpCode(200)
  @ApiCommand({
    operationId: 'moveDevClock',
    summary: 'Move the development clock forward and fire what became due',
    description:
      'Set `now` or `advanceDays`; time only moves forward. Answers once every timer due before the new time has fired.',
    response: DevClockMovedDto,
    isPublic: true,
  })
  async move(
    @Body() body: DevClockRequestDto,
  ): Promise<{ now: string; timersFired: number; position: string | null }> {
    if (body.now) this.clock.set(new Date(body.now));
    if (body.advanceDays) this.clock.advanceDays(body.advanceDays);
    const timersFired = await this.due.process();
    const head = await this.store.headPosition();
    return {
      now: this.clock.now().toISOString(),
      timersFired,
      position: head ? formatPosition(head) : null,
    };
  }
}
