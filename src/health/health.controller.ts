import {
  Controller,
  Get,
  Inject,
  Header,
  Optional,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '#libs/auth/jwt-auth.guard.js';
import { EVENT_STORE, type EventStore } from '#libs/event-store/event-store.port.js';
import { serviceUnavailable } from '#libs/http/problem-details.js';
import { Metrics } from '#libs/observability/metrics.js';
import { ApiView } from '#libs/http/openapi/api-operation.decorators.js';
import { ZgwOutboxStatus } from '../zaaksysteem/zgw-outbox.status.js';
import { HealthDto, LivenessDto } from './dto/health.dto.js';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Optional()
    @Inject(ZgwOutboxStatus)
    private readonly zaaksysteem: ZgwOutboxStatus | null = null,
  ) {}

  /**
   * Readiness: 200 when the database and the event store answer, else 503. The 503 is a problem
   * document like every other error, but keeps Terminus's `error` and `details` (which check is
   * down, and why), which the problem filter would otherwise reduce to "Service Unavailable".
   */
  @Public()
  @Get('health')
  @ApiView({
    operationId: 'getHealth',
    summary: 'Readiness: the database and the event store answer',
    description: '503 names what is down in `error` and `details`.',
    response: HealthDto,
    isPublic: true,
  })
  // This document's own schemas, not Terminus's (which know nothing of problem details).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  async check() {
    try {
      return await this.health.check([
        () => this.probe('database', () => this.dataSource.query('SELECT 1')),
        () =>
          this.probe('eventStore', () => this.eventStore.ping(), { kind: this.eventStore.kind }),
        ...(this.zaaksysteem ? [() => this.outbox(this.zaaksysteem!)] : []),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw serviceUnavailable(`Not ready: ${down.join(', ')} down`, {
        error: result.error,
        details: result.details,
      });
    }
  }

  /**
   * Liveness: the process answers HTTP, nothing more (no database). An orchestrator restarts a
   * process that fails this, but only takes one out of rotation that fails /health. It is also
   * the benchmark's bare endpoint: the same HTTP stack with no work behind it.
   */
  @Public()
  @Get('health/live')
  @ApiView({
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers HTTP',
    response: LivenessDto,
    isPublic: true,
  })
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  /**
   * The zaaksysteem outbox: its backlog and the age of its oldest call. Informational: the
   * product works while the zaaksysteem is down (the outbox keeps what it must send), so a
   * backlog never takes an instance out of rotation; alert on the metrics instead.
   */
  private async outbox(status: ZgwOutboxStatus) {
    const indicator = this.indicators.check('zaaksysteem');
    try {
      return indicator.up({ ...(await status.backlog()) });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  private async probe(
    key: string,
    ping: () => Promise<unknown>,
    details: Record<string, string> = {},
  ) {
    const indicator = this.indicators.check(key);
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout after 2s')), 2000)),
      ]);
      return indicator.up(details);
    } catch (error) {
      return indicator.down({ ...details, message: (error as Error).message });
    }
  }
}
