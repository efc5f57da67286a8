import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one process, served at GET /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'eventstore_events_appended_total',
    help: 'Events appended to the event store',
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: 'eventstore_append_conflicts_total',
    help: 'Appends refused because the stream was not at the expected version',
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event a projection was processing at its last batch (0 when caught up)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionEvents = new Counter({
    name: 'projection_events_processed_total',
    help: 'Events read by each projection',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly timersFired = new Counter({
    name: 'timers_fired_total',
    help: 'Due timers handled, by kind and outcome (fired or failed, to be retried)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly databaseUnavailableResponses = new Counter({
    name: 'http_database_unavailable_responses_total',
    help: 'Requests answered 503 because the database could not be reached (unreachable) or did not answer in time (timeout)',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });

  readonly databaseReachable = new Gauge({
    name: 'database_reachable',
    help: '0 from the first request refused for want of the database until it answers again, else 1',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Express middleware; labels by route pattern, never by concrete path (ids would explode it). */
  httpMiddleware() {
    return (request: Request, response: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      response.on('finish', () => {
        const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
        end({ method: request.method, route, status: String(response.statusCode) });
      });
      next();
    };
  }
}
