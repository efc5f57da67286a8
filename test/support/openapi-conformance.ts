import type { NextFunction, Request, Response } from 'express';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

type Schema = Record<string, unknown>;

interface MediaType {
  schema?: Schema;
}

interface ResponseDoc {
  content?: Record<string, MediaType>;
  headers?: Record<string, { required?: boolean }>;
}

interface OperationDoc {
  responses?: Record<string, ResponseDoc>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationDoc | unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly literals: number;
  readonly operations: Record<string, OperationDoc>;
}

/** What one response carried: enough to check it after it has been sent. */
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string;
  readonly headers: Record<string, unknown>;
  readonly body: string | undefined;
}

const ROOT = 'openapi';
/** Bodies of these kinds are streams or lines, not one JSON document: only the type is checked. */
const NOT_ONE_DOCUMENT = ['text/event-stream', 'application/x-ndjson'];
const MAX_CAPTURE = 5 * 1024 * 1024;

const formats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

/**
 * OpenAPI 3.0 schemas as JSON Schema for Ajv: `nullable` becomes a null type (or a null
 * alternative where there is no type, as with a $ref), `$ref`s point into one shared root,
 * and objects that do not say otherwise are closed. The served document leaves objects open
 * so that clients keep working when fields are added (api.md); the tests close them, so that
 * a field the code returns and the document does not describe is a failure, not a surprise
 * for the next client generated from it.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'example' || key === 'examples' || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', `${ROOT}#/definitions/`);
    } else if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, child]) => [name, toJsonSchema(child)]),
      );
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (out.properties && out.additionalProperties === undefined && !out.allOf) {
    out.additionalProperties = false;
  }
  if (source.nullable !== true) return out;
  const composed = out.allOf || out.anyOf || out.oneOf || out.$ref;
  if (typeof out.type === 'string' && !composed) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

function routesOf(document: OpenApiDocument): Route[] {
  return Object.entries(document.paths)
    .map(([template, operations]) => {
      const segments = template.split('/');
      const pattern = new RegExp(
        `^${segments
          .map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('/')}/?$`,
      );
      return {
        template,
        pattern,
        literals: segments.filter((s) => !s.startsWith('{')).length,
        operations: operations as Record<string, OperationDoc>,
      };
    })
    .sort((a, b) => b.literals - a.literals);
}

/**
 * Checks every response of the app against the app's own OpenAPI document: the status is
 * documented for the operation, the content type is one it lists, JSON bodies are valid
 * against its schema, required response headers are present. Requests that match no
 * operation (an unknown path, /docs) are not its business.
 */
export class OpenApiConformance {
  private routes: Route[] = [];
  private readonly ajv = formats(new Ajv({ allErrors: true, strict: false }));
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly found = new Map<string, number>();
  private checked = 0;

  load(document: OpenApiDocument): void {
    this.routes = routesOf(document);
    const definitions = Object.fromEntries(
      Object.entries(document.components?.schemas ?? {}).map(([name, s]) => [
        name,
        toJsonSchema(s),
      ]),
    );
    this.ajv.addSchema({ $id: ROOT, definitions }, ROOT);
  }

  /** Express middleware: records each response as it is sent, checks it once it is done. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    const capture = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const type = String(response.getHeader('content-type') ?? '');
      // A stream never ends by itself; its events are not one document either.
      if (NOT_ONE_DOCUMENT.some((t) => type.startsWith(t)) || size > MAX_CAPTURE) return;
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(
            String(chunk),
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          );
      size += buffer.length;
      chunks.push(buffer);
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    response.write = ((...args: unknown[]) => {
      capture(args[0], args[1]);
      return write(...args);
    }) as typeof response.write;
    response.end = ((...args: unknown[]) => {
      capture(args[0], args[1]);
      return end(...args);
    }) as typeof response.end;
    const path = request.originalUrl.split('?')[0];
    response.once('finish', () =>
      this.check({
        method: request.method.toLowerCase(),
        path,
        status: response.statusCode,
        contentType: String(response.getHeader('content-type') ?? ''),
        headers: response.getHeaders(),
        body: size > MAX_CAPTURE ? undefined : Buffer.concat(chunks).toString('utf8'),
      }),
    );
    next();
  };

  private check(seen: Seen): void {
    const route = this.routes.find((r) => r.pattern.test(seen.path));
    const operation = route?.operations[seen.method];
    if (!route || !operation) return;
    this.checked += 1;
    const where = `${seen.method.toUpperCase()} ${route.template} → ${seen.status}`;
    const documented = operation.responses?.[String(seen.status)];
    if (!documented) {
      const listed = Object.keys(operation.responses ?? {}).join(', ');
      return this.report(`${where}: status not documented (documented: ${listed})`);
    }
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required && seen.headers[name.toLowerCase()] === undefined) {
        this.report(`${where}: required header ${name} missing`);
      }
    }
    const mediaType = seen.contentType.split(';')[0].trim();
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) {
      if (seen.body) this.report(`${where}: a body (${mediaType}) where none is documented`);
      return;
    }
    const media = content[mediaType];
    if (!media) {
      return this.report(
        `${where}: content type "${mediaType}" not documented (documented: ${Object.keys(content).join(', ')})`,
      );
    }
    if (!media.schema || NOT_ONE_DOCUMENT.includes(mediaType) || seen.body === undefined) return;
    if (!mediaType.includes('json')) return;
    let body: unknown;
    try {
      body = JSON.parse(seen.body);
    } catch {
      return this.report(`${where}: body is not JSON: ${seen.body.slice(0, 100)}`);
    }
    const validate = this.validator(`${where} ${mediaType}`, media.schema);
    if (!validate(body)) {
      for (const error of validate.errors ?? []) {
        const detail =
          error.params && 'additionalProperty' in error.params
            ? ` (${String(error.params.additionalProperty)})`
            : error.params && 'allowedValues' in error.params
              ? ` (${JSON.stringify(error.params.allowedValues)})`
              : '';
        this.report(`${where}: body${error.instancePath} ${error.message}${detail}`);
      }
    }
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private report(violation: string): void {
    // Array items differ only by index: one line for all of them.
    const line = violation.replace(/\/\d+(?=\/|\s|$)/g, '/*');
    this.found.set(line, (this.found.get(line) ?? 0) + 1);
  }

  /** Responses checked so far, and each kind of violation with how often it was seen. */
  get summary(): { checked: number; violations: string[] } {
    return {
      checked: this.checked,
      violations: [...this.found].map(([line, n]) => (n > 1 ? `${line} (${n}×)` : line)),
    };
  }

  /** Throws with every violation seen, for the end of a test file. */
  assertConformed(): void {
    const { violations } = this.summary;
    if (violations.length === 0) return;
    throw new Error(
      `Responses that differ from the OpenAPI document (fix the document or the code):\n  ${violations.join('\n  ')}`,
    );
  }
}
