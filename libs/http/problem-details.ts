import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  NotFoundException,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AggregateNotFoundError } from '../aggregates/aggregate-repository.js';
import {
  isDatabaseTimeout,
  isDatabaseUnavailable,
  RETRY_AFTER_SECONDS,
} from '../database/database-unavailable.js';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
  StaleVersion,
} from '../aggregates/domain-errors.js';
import { WrongExpectedVersionError } from '../event-store/errors.js';
import { PersonalDataErased } from '../personal-data/personal-data-vault.js';
import { allowedMethods } from './method-not-allowed.js';

export interface FieldError {
  readonly field: string;
  readonly messages: string[];
}

/** RFC 9457 problem details. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** A problem document; `slug` names the kind of problem in its `type` URN. */
export function problem(
  status: number,
  slug: string,
  detail?: string,
  extensions: Partial<ProblemDocument> = {},
): ProblemDocument {
  return {
    type: `urn:egep:problem:${slug}`,
    title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extensions,
  };
}

/** Throw this from anywhere in the HTTP layer to answer with a specific problem document. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDocument,
    readonly headers?: Record<string, string>,
  ) {
    super(problem, problem.status);
  }
}

/** The type of every 503 that the database's being unreachable (or too slow) caused. */
export const SERVICE_UNAVAILABLE = 'urn:egep:problem:service-unavailable';

/**
 * The database cannot be reached (an outage, a restart, a stalled connection) or did not answer
 * in time: nothing was done that the client can rely on, and the same request may succeed in a
 * moment.
 */
export function serviceUnavailable(
  detail = 'The database cannot be reached right now; try again shortly',
  extensions: Partial<ProblemDocument> = {},
): ProblemException {
  return new ProblemException(problem(503, 'service-unavailable', detail, extensions), {
    'Retry-After': String(RETRY_AFTER_SECONDS),
  });
}

export function validationProblem(errors: FieldError[], detail?: string): ProblemException {
  return new ProblemException(
    problem(
      400,
      'validation-error',
      detail ?? errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join(' | '),
      { title: 'The request is not valid', errors },
    ),
  );
}

export const notFound = (detail = 'Not found') =>
  new ProblemException(problem(404, 'not-found', detail));

/**
 * The caller may know of the resource but may not do this to it (a 404 would be a lie:
 * they can read it). Only for resources the caller can see.
 */
export const forbidden = (detail: string) =>
  new ProblemException(problem(403, 'forbidden', detail));

/** Maps errors of body parsing (which happen before Nest sees the request) to problems. */
export function bodyParserProblem(error: {
  type?: string;
  status?: number;
  message?: string;
}): ProblemDocument | undefined {
  if (error.type === 'entity.too.large') {
    return problem(413, 'payload-too-large', 'The request body is larger than the limit');
  }
  if (error.type === 'entity.parse.failed') {
    return problem(400, 'malformed-json', 'The request body is not valid JSON');
  }
  if (error.status && error.status >= 400 && error.status < 500) {
    return problem(error.status, 'bad-request', error.message);
  }
  return undefined;
}

function fromHttpException(error: HttpException): ProblemDocument {
  const status = error.getStatus();
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  const detail = Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
  return problem(status, status === 404 ? 'not-found' : 'http-error', detail);
}

export function toProblem(error: unknown): {
  problem: ProblemDocument;
  headers?: Record<string, string>;
} {
  if (error instanceof ProblemException) return { problem: error.problem, headers: error.headers };
  if (error instanceof WrongExpectedVersionError) {
    return {
      problem: problem(
        409,
        'concurrent-change',
        'Somebody else changed this at the same time; reload and try again',
      ),
    };
  }
  if (error instanceof DomainConflict) {
    return {
      problem: problem(409, 'conflict', error.message, error.links ? { links: error.links } : {}),
    };
  }
  if (error instanceof DomainRuleViolation) {
    const errors = error.field ? [{ field: error.field, messages: [error.message] }] : undefined;
    return { problem: problem(422, 'rule-violation', error.message, errors ? { errors } : {}) };
  }
  if (error instanceof DomainNotFound) {
    return { problem: problem(404, 'not-found', error.message) };
  }
  if (error instanceof PersonalDataErased) {
    // The person's data was destroyed on request or by retention: nothing new is stored of them.
    return {
      problem: problem(409, 'personal-data-erased', 'The personal data of this person was erased'),
    };
  }
  if (error instanceof StaleVersion) {
    return { problem: problem(412, 'stale-version', error.message) };
  }
  if (error instanceof AggregateNotFoundError) {
    return { problem: problem(404, 'not-found', 'Not found') };
  }
  if (isDatabaseUnavailable(error)) {
    const unavailable = serviceUnavailable();
    return { problem: unavailable.problem, headers: unavailable.headers };
  }
  if (isDatabaseTimeout(error)) {
    const unavailable = serviceUnavailable(
      'The database did not answer in time; try again shortly',
    );
    return { problem: unavailable.problem, headers: unavailable.headers };
  }
  // Before the body-parser mapping: an HttpException has a 4xx `status` too, which that
  // mapping would call `bad-request` (Nest's route-not-found 404 among them).
  if (error instanceof HttpException) return { problem: fromHttpException(error) };
  const parserProblem = bodyParserProblem(error as { type?: string });
  if (parserProblem) return { problem: parserProblem };
  return {
    problem: problem(500, 'internal-error', 'An unexpected error occurred; it has been logged'),
  };
}

/**
 * Nest's 404 for a request that no route serves, when the path is served under other methods:
 * 405 with `Allow` (RFC 9110, 15.5.6). The service's own 404s are ProblemExceptions.
 */
function methodNotAllowed(
  error: unknown,
  request: Request,
): ReturnType<typeof toProblem> | undefined {
  if (!(error instanceof NotFoundException)) return undefined;
  const allowed = allowedMethods(request);
  if (allowed.length === 0 || allowed.includes(request.method)) return undefined;
  return {
    problem: problem(
      405,
      'method-not-allowed',
      `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`,
    ),
    headers: { Allow: allowed.join(', ') },
  };
}

/** Every error leaves the service as application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  /** `report` hears of every answer of 500 or more, to log it. */
  constructor(
    private readonly report: (error: unknown, request: Request, problem: ProblemDocument) => void,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { problem: document, headers } = methodNotAllowed(error, request) ?? toProblem(error);
    if (document.status >= 500) this.report(error, request, document);
    sendProblem(response, { ...document, instance: request.originalUrl }, headers);
  }
}

export function sendProblem(
  response: Response,
  document: ProblemDocument,
  headers?: Record<string, string>,
): void {
  if (response.headersSent) return;
  for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
  response.status(document.status).type('application/problem+json').send(JSON.stringify(document));
}
