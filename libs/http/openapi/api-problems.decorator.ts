import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { problem, type ProblemDocument } from '../problem-details.js';
import { ProblemDetailsDto } from './problem-details.dto.js';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 503;

interface ProblemDoc {
  readonly description: string;
  readonly example: ProblemDocument;
}

const PROBLEMS: Record<ProblemStatus, ProblemDoc> = {
  400: {
    description:
      'Not valid: a field of the body, a path or query parameter, or a header; `errors` names each',
    example: {
      ...problem(400, 'validation-error', 'familyId: must be a UUID', {
        title: 'The request is not valid',
        errors: [{ field: 'familyId', messages: ['must be a UUID'] }],
      }),
    },
  },
  401: {
    description: 'No bearer token, or one that is not valid',
    example: problem(401, 'unauthorized', 'A bearer token is required'),
  },
  403: {
    description: 'The caller may know of the resource but may not do this to it',
    example: problem(403, 'forbidden', 'Only the casusregisseur may do this'),
  },
  404: {
    description: 'Not found, or not for the caller to know of (never a 403 for those)',
    example: problem(404, 'not-found', 'No family with this id'),
  },
  409: {
    description:
      'Conflicts with the current state, or a request with this Idempotency-Key is in progress or lost its answer',
    example: problem(409, 'conflict', 'This family already has an active plan'),
  },
  412: {
    description: 'If-Match is stale: the plan changed since it was read',
    example: problem(412, 'stale-version', 'The plan has changed since version "3"'),
  },
  413: {
    description: 'The request body is larger than the limit (BODY_LIMIT)',
    example: problem(413, 'payload-too-large', 'The request body is larger than the limit'),
  },
  415: {
    description: "The request body's charset or content encoding is not supported",
    example: problem(415, 'bad-request', 'unsupported charset "ISO-8859-1"'),
  },
  422: {
    description:
      'Well-formed but not allowed by a domain rule, or an Idempotency-Key reused for another request',
    example: problem(422, 'rule-violation', 'A plan has at most 7 open goals'),
  },
  503: {
    description:
      'The database cannot be reached, or the read models did not catch up with X-Consistent-After in time; retry after Retry-After',
    example: problem(503, 'service-unavailable', 'The database cannot be reached right now'),
  },
};

/** What any request can meet: a bad header or body, the transport's limits, an outage. */
export const EVERY_REQUEST: readonly ProblemStatus[] = [400, 413, 415, 503];

/** The RFC 9457 problem responses an operation can give, each with the shared schema. */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  const unique = [...new Set(statuses)].sort();
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...unique.map((status) =>
      ApiResponse({
        status,
        description: PROBLEMS[status].description,
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemDetailsDto) },
            example: { ...PROBLEMS[status].example, instance: '/api/v1/…' },
          },
        },
        ...(status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
      }),
    ),
  );
}

const RETRY_AFTER = {
  description: 'Seconds to wait before retrying',
  schema: { type: 'integer' as const, example: 2 },
};
