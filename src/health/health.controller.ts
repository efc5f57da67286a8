import { Controller, Get, Inject, Header } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../../libs/auth/jwt-auth.guard.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/event-store.port.js';
import { Metrics } from '../../libs/observability/metrics.js';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Liveness and readiness: 200 when the database and the event store answer, else 503. */
  @Public()
  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('database', () => this.dataSource.query('SELECT 1')),
      () => this.probe('eventStore', () => this.eventStore.ping(), { kind: this.eventStore.kind }),
    ]);
  }

  /**
   * Liveness: the process answers HTTP, nothing more (no database). An orchestrator restarts a
   * process that fails this, but only takes one out of rotation that fails /health. It is also
   * the benchmark's bare endpoint: the same HTTP stack with no work behind it.
   */
  @Public()
  @Get('health/live')
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
