import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { ApiProblems, EVERY_REQUEST, type ProblemStatus } from './api-problems.decorator.js';

/** A body that is not JSON (an event stream, NDJSON): its media type, schema and an example. */
export interface StreamedResponse {
  readonly mediaType: string;
  readonly schema: SchemaObject;
  readonly example: string;
  readonly description: string;
}

interface OperationDoc {
  /** Stable and unique: generated clients name their methods after it. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /**
   * The success body: a response DTO class, one of several (a query parameter chooses which),
   * or a streamed body.
   */
  readonly response: Type<unknown> | readonly Type<unknown>[] | StreamedResponse;
  readonly status?: 200 | 201;
  /** The problems of this operation, besides those of every request (and 401 unless public). */
  readonly problems?: readonly ProblemStatus[];
  /** No bearer token needed: no 401. */
  readonly isPublic?: boolean;
}

export interface CommandDoc extends OperationDoc {
  /** Plan and regie commands: an optional If-Match, stale is 412. */
  readonly ifMatch?: boolean;
  /** POSTs honour Idempotency-Key (the default); PUT, PATCH and DELETE do not. */
  readonly idempotencyKey?: boolean;
}

export interface ViewDoc extends OperationDoc {
  /** Plan views: the `ETag` to send back as If-Match. */
  readonly etag?: boolean;
  /** A stream follows what happens; waiting for one's own writes first means nothing there. */
  readonly consistentAfter?: false;
}

const IF_MATCH = ApiHeader({
  name: 'If-Match',
  required: false,
  description:
    'The `ETag` of the plan view this change is based on (or `*`, or a list of entity tags); when the plan has changed since, the answer is 412 and nothing is changed; a header that is not an entity-tag list is 400',
  schema: { type: 'string', example: '"7"' },
});

const IDEMPOTENCY_KEY = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'A repeat with the same key and body returns the first response (with `Idempotent-Replayed: true`) and appends nothing; the same key with another body is 422, one still in progress 409. Scoped to the caller',
  schema: { type: 'string', minLength: 1, maxLength: 255, example: '6a1f0c52-register-de-vries' },
});

const CONSISTENT_AFTER = ApiHeader({
  name: 'X-Consistent-After',
  required: false,
  description:
    'A `position` a command answered with: the answer waits until the read models have processed it (up to CONSISTENCY_TIMEOUT_MS), else 503 with Retry-After',
  schema: { type: 'string', example: '812-3' },
});

const ETAG = {
  ETag: {
    description: 'The version of the plan; send it as If-Match with a command',
    schema: { type: 'string' as const, example: '"7"' },
  },
};

/** `Array.isArray` does not narrow a readonly array out of a union. */
const isOneOf = (response: OperationDoc['response']): response is readonly Type<unknown>[] =>
  Array.isArray(response);

function success(doc: OperationDoc, headers?: typeof ETAG): MethodDecorator {
  const status = doc.status ?? 200;
  const response = doc.response;
  if (isOneOf(response)) {
    return ApiResponse({
      status,
      description: doc.summary,
      content: {
        'application/json': {
          schema: { oneOf: response.map((type) => ({ $ref: getSchemaPath(type) })) },
        },
      },
      ...(headers ? { headers } : {}),
    });
  }
  if ('mediaType' in response) {
    return applyDecorators(
      ApiProduces(response.mediaType),
      ApiResponse({
        status,
        description: response.description,
        content: { [response.mediaType]: { schema: response.schema, example: response.example } },
      }),
    );
  }
  return ApiResponse({
    status,
    description: doc.summary,
    content: { 'application/json': { schema: { $ref: getSchemaPath(response) } } },
    ...(headers ? { headers } : {}),
  });
}

function operation(doc: OperationDoc, own: ProblemStatus[], headers?: typeof ETAG) {
  const { response } = doc;
  const model = isOneOf(response) ? response : 'mediaType' in response ? [] : [response];
  return [
    ApiOperation({
      operationId: doc.operationId,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      // Said explicitly: no bearer token is needed here.
      ...(doc.isPublic ? { security: [] } : {}),
    }),
    success(doc, headers),
    ApiProblems(
      ...EVERY_REQUEST,
      ...(doc.isPublic ? [] : ([401] as const)),
      ...own,
      ...(doc.problems ?? []),
    ),
    // A response with `content` does not register its class as a schema by itself.
    ...model.map((type) => ApiExtraModels(type)),
  ];
}

/** A command: summary, success and problem responses, and the headers it honours. */
export function ApiCommand(doc: CommandDoc): MethodDecorator {
  const idempotent = doc.idempotencyKey ?? true;
  return applyDecorators(
    ...operation(doc, [
      ...(doc.ifMatch ? [412 as const] : []),
      ...(idempotent ? ([409, 422] as const) : []),
    ]),
    ...(doc.ifMatch ? [IF_MATCH] : []),
    ...(idempotent ? [IDEMPOTENCY_KEY] : []),
  );
}

/** A read (GET, or a POST that only reads): it honours X-Consistent-After. */
export function ApiView(doc: ViewDoc): MethodDecorator {
  return applyDecorators(
    ...operation(doc, [], doc.etag ? ETAG : undefined),
    ...(doc.consistentAfter === false ? [] : [CONSISTENT_AFTER]),
  );
}
