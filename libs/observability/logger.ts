import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export type { Logger } from 'pino';

/** Injection token of the process's pino logger. */
export const LOGGER = Symbol('LOGGER');

export interface LoggerOptions {
  readonly level: string;
  /** Bound into every line (the municipality). */
  readonly base?: Record<string, unknown>;
  /** Where lines go; standard output unless given (tests capture them). */
  readonly destination?: DestinationStream;
}

export function createLogger({ level, base = {}, destination }: LoggerOptions): Logger {
  const options = { level, redact: ['req.headers.authorization', 'req.headers.cookie'] };
  return (destination ? pino(options, destination) : pino(options)).child(base);
}

const CORRELATION_HEADER = 'x-correlation-id';

/**
 * pino-http: one line per request, and `request.id`, taken from the caller's X-Correlation-Id
 * when it sends a sane one: it becomes the correlation id of every event the request appends.
 */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const given = request.headers[CORRELATION_HEADER];
      const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
      response.setHeader('X-Correlation-Id', id);
      return id;
    },
    // pino-http makes up an Error, with a stack, for every 5xx answer. The answer's own error,
    // when it is worth one, is logged by the problem filter; this line only records the request.
    customErrorObject: (_request, _response, _error, fields: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'err')),
  });
}

const NEST_LEVELS: Record<string, Level> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's own messages (start-up, routes, lifecycle) through pino. Nest calls
 * `log(message, context)` and `error(message, stack, context)`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(method: string, message: unknown, params: unknown[]) {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const stack = method === 'error' && typeof params[0] === 'string' && params.length > 1;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (stack) fields.stack = params[0];
    const level = NEST_LEVELS[method];
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null)
      this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}
