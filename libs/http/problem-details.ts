import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AggregateNotFoundError } from '../aggregates/aggregate-repository.js';
import { DomainConflict, DomainRuleViolation } from '../aggregates/domain-errors.js';
import { WrongExpectedVersionError } from '../event-store/errors.js';

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

export const problemType = (slug: string) => `urn:egep:problem:${slug}`;

/** Throw this from anywhere in the HTTP layer to answer with a specific problem document. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDocument,
    headers?: Record<string, string>,
  ) {
    super(problem, problem.status);
    this.headers = headers;
  }
  readonly headers?: Record<string, string>;
}

export function validationProblem(errors: FieldError[], detail?: string): ProblemException {
  return new ProblemException({
    type: problemType('validation-error'),
    title: 'The request is not valid',
    status: 400,
    detail: detail ?? errors.map((e) => `${e.field}: ${e.messages.join('; ')}`).join(' | '),
    errors,
  });
}

export const notFound = (detail = 'Not found') =>
  new ProblemException({ type: problemType('not-found'), title: 'Not found', status: 404, detail });

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Maps errors of body parsing (which happen before Nest sees the request) to problems. */
export function bodyParserProblem(error: { type?: string; status?: number; message?: string }) {
  if (error.type === 'entity.too.large') {
    return {
      type: problemType('payload-too-large'),
      title: TITLES[413],
      status: 413,
      detail: 'The request body is larger than the limit',
    };
  }
  if (error.type === 'entity.parse.failed') {
    return {
      type: problemType('malformed-json'),
      title: TITLES[400],
      status: 400,
      detail: 'The request body is not valid JSON',
    };
  }
  if (error.status && error.status >= 400 && error.status < 500) {
    return {
      type: problemType('bad-request'),
      title: TITLES[error.status] ?? TITLES[400],
      status: error.status,
      detail: error.message,
    };
  }
  return undefined;
}

export function toProblem(error: unknown): {
  problem: ProblemDocument;
  headers?: Record<string, string>;
} {
  if (error instanceof ProblemException) return { problem: error.problem, headers: error.headers };
  if (error instanceof WrongExpectedVersionError) {
    return {
      problem: {
        type: problemType('concurrent-change'),
        title: TITLES[409],
        status: 409,
        detail: 'Somebody else changed this at the same time; reload and try again',
      },
    };
  }
  if (error instanceof DomainConflict) {
    return {
      problem: {
        type: problemType('conflict'),
        title: TITLES[409],
        status: 409,
        detail: error.message,
        ...(error.links ? { links: error.links } : {}),
      },
    };
  }
  if (error instanceof DomainRuleViolation) {
    return {
      problem: {
        type: problemType('rule-violation'),
        title: TITLES[422],
        status: 422,
        detail: error.message,
        ...(error.field ? { errors: [{ field: error.field, messages: [error.message] }] } : {}),
      },
    };
  }
  if (error instanceof AggregateNotFoundError) {
    return {
      problem: {
        type: problemType('not-found'),
        title: TITLES[404],
        status: 404,
        detail: 'Not found',
      },
    };
  }
  const parserProblem = bodyParserProblem(error as { type?: string });
  if (parserProblem) return { problem: parserProblem };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return {
      problem: {
        type: problemType(status === 404 ? 'not-found' : 'http-error'),
        title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
        status,
        detail: Array.isArray(message) ? message.join('; ') : String(message ?? error.message),
      },
    };
  }
  return {
    problem: {
      type: problemType('internal-error'),
      title: TITLES[500],
      status: 500,
      detail: 'An unexpected error occurred; it has been logged',
    },
  };
}

/** Every error leaves the service as application/problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logError: (error: unknown, request: Request) => void) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { problem, headers } = toProblem(error);
    if (problem.status >= 500) this.logError(error, request);
    sendProblem(response, { ...problem, instance: request.originalUrl }, headers);
  }
}

export function sendProblem(
  response: Response,
  problem: ProblemDocument,
  headers?: Record<string, string>,
): void {
  if (response.headersSent) return;
  for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
