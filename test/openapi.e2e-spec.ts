import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { previewOpenApiDocument } from '../src/core/preview-document.js';
import { toJsonSchema } from './support/openapi-conformance.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Media {
  schema?: Record<string, unknown>;
  example?: unknown;
}
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{
    name: string;
    in: string;
    required?: boolean;
    schema?: { format?: string };
  }>;
  requestBody?: { content?: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  tags?: Array<{ name: string }>;
  components: { schemas: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const formats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

function operationsOf(document: Document): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map(
      (m) => [`${m.toUpperCase()} ${path}`, item[m]] as [string, Operation],
    ),
  );
}

/**
 * The OpenAPI document is a contract clients generate code from: every operation must say
 * what it does, what it takes and everything it can answer, with examples that are valid. A
 * new endpoint without them fails here (see README, "Testing").
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Document;
  let operations: Array<[string, Operation]>;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http.get('/docs-json').expect(200)).body;
    operations = operationsOf(document);
  });
  afterAll(async () => {
    await t?.close();
  });

  const problems = (check: (id: string, op: Operation) => string[]) =>
    operations.flatMap(([id, op]) => check(id, op).map((problem) => `${id}: ${problem}`));

  it('gives every operation a summary, one known tag and a unique operationId', () => {
    const tags = new Set(document.tags?.map((tag) => tag.name));
    const ids = operations.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      problems((_, op) => [
        ...(op.summary ? [] : ['no summary']),
        ...(op.operationId && /^[a-z][A-Za-z0-9]+$/.test(op.operationId)
          ? []
          : ['no camelCase operationId']),
        ...(op.tags?.length === 1 && tags.has(op.tags[0])
          ? []
          : [`tags ${JSON.stringify(op.tags)}`]),
      ]),
    ).toEqual([]);
  });

  it('documents a success response with a schema and the problem responses every request can give', () => {
    expect(
      problems((_, op) => {
        const statuses = Object.keys(op.responses);
        const success = statuses.filter((s) => /^2\d\d$/.test(s));
        const found: string[] = [];
        if (success.length !== 1) found.push(`success responses ${JSON.stringify(success)}`);
        for (const status of success) {
          const media = Object.values(op.responses[status].content ?? {});
          if (media.length === 0 || !media.every((m) => m.schema))
            found.push(`${status} without a schema`);
        }
        const needed = ['400', '413', '415', '503', ...(op.security?.length === 0 ? [] : ['401'])];
        for (const status of needed) if (!statuses.includes(status)) found.push(`no ${status}`);
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          const schema = op.responses[status].content?.['application/problem+json']?.schema;
          if (schema?.$ref !== '#/components/schemas/ProblemDetails') {
            found.push(`${status} is not application/problem+json ProblemDetails`);
          }
        }
        return found;
      }),
    ).toEqual([]);
  });

  it('gives every request body and every response an example that is valid against its schema', () => {
    const ajv = formats(new Ajv({ allErrors: true, strict: false }));
    ajv.addSchema({
      $id: 'openapi',
      definitions: Object.fromEntries(
        Object.entries(document.components.schemas).map(([name, s]) => [name, toJsonSchema(s)]),
      ),
    });
    expect(
      problems((_, op) => {
        const media = [
          ...Object.entries(op.requestBody?.content ?? {}).map(
            ([type, m]) => [`request ${type}`, m] as const,
          ),
          ...Object.entries(op.responses).flatMap(([status, r]) =>
            Object.entries(r.content ?? {}).map(([type, m]) => [`${status} ${type}`, m] as const),
          ),
        ];
        return media.flatMap(([where, m]) => {
          if (m.example === undefined) return [`${where}: no example`];
          if (!m.schema || !where.includes('json')) return [];
          const validate = ajv.compile(toJsonSchema(m.schema) as object);
          return validate(m.example)
            ? []
            : [`${where}: example invalid: ${ajv.errorsText(validate.errors)}`];
        });
      }),
    ).toEqual([]);
  });

  it('documents If-Match only on plan and regie commands, optional, and no header as required', () => {
    expect(
      problems((id, op) => {
        const headers = (op.parameters ?? []).filter((p) => p.in === 'header');
        const found = headers.filter((h) => h.required).map((h) => `required header ${h.name}`);
        const names = headers.map((h) => h.name);
        if (new Set(names.map((n) => n.toLowerCase())).size !== names.length)
          found.push('a header twice');
        const ifMatch = names.includes('If-Match');
        const honours = !id.startsWith('GET') && /\/(plan|regie)(\/|$)/.test(id);
        if (ifMatch !== honours)
          found.push(ifMatch ? 'If-Match where it is ignored' : 'no If-Match');
        const stream = Boolean(op.responses['200']?.content?.['text/event-stream']);
        if (id.startsWith('GET') && !stream && !names.includes('X-Consistent-After'))
          found.push('no X-Consistent-After');
        if (!id.startsWith('POST') && names.includes('Idempotency-Key'))
          found.push('Idempotency-Key on a non-POST');
        return found;
      }),
    ).toEqual([]);
  });

  it('documents every path id as a UUID', () => {
    expect(
      problems((_, op) =>
        (op.parameters ?? [])
          .filter((p) => p.in === 'path' && p.name.endsWith('Id') && p.schema?.format !== 'uuid')
          .map((p) => `path ${p.name} not format uuid`),
      ),
    ).toEqual([]);
  });

  it('is the same document that `npm run lint:openapi` lints, built without a database', async () => {
    expect(await previewOpenApiDocument()).toEqual(document);
  });
});
