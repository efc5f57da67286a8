import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsPlugin from 'ajv-formats';
import { load } from 'js-yaml';
import {
  OpenAPIBackend,
  ValidationContext,
  type Document,
  type Operation as SpecOperation,
} from 'openapi-backend';

/**
 * Checks requests against one official ZGW OpenAPI 3.0 document (vendored unchanged in ./specs,
 * so a fresh CI machine needs nothing else) and the test server's own answers against it.
 * openapi-backend does the OpenAPI work: it finds the operation, checks path, query and header
 * parameters (unknown query parameters included) and request bodies, and checks answers, with
 * Ajv. Where the real Open Zaak is lenient, this is stricter on purpose, so that a client bug
 * shows up as a violation instead of being ignored: unknown body fields (at the root and in
 * component objects) and readOnly fields in a request are rejected. The library does not do
 * those, nor a few things OpenAPI 3.0 asks that Ajv cannot (see `view`), so the document is
 * rewritten once for them before the library gets it.
 */

type Json = Record<string, unknown>;
type Mode = 'request' | 'response';

export interface InvalidParam {
  readonly name: string;
  readonly code: string;
  readonly reason: string;
}

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  /** The path it was found by, below the API's base path. */
  readonly path: string;
  readonly pathParams: Record<string, string>;
}

const SPECS = join(dirname(fileURLToPath(import.meta.url)), 'specs');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const formats = addFormatsPlugin as unknown as <T>(ajv: T) => T;

/**
 * The document as the library is to see it for requests or for answers: the same, with what
 * neither openapi-backend nor Ajv does by itself written into the schemas.
 * - `nullable` beside `allOf`/`oneOf` without a `type` (how ZGW marks an optional reference):
 *   Ajv supports `nullable` only next to `type` and refuses to compile the rest.
 * - readOnly and writeOnly, which Ajv treats as annotations: in a request a readOnly property
 *   may not be sent and is not required (OpenAPI 3.0: "required takes effect on the response
 *   only"); in an answer a writeOnly one is not required.
 * - unknown fields of a request: every plain component object is closed; the root of a body
 *   with unevaluatedProperties, which sees through a composition (see `closeRoot`).
 * - a discriminator with a mapping (Rol: betrokkeneType): Ajv's discriminator keyword does not
 *   take a mapping, so a body of that schema is validated as the subtype its mapping names.
 * - error answers: the library checks only application/json answers; ZGW's are
 *   application/problem+json with the same schema.
 */
function view(source: Json, mode: Mode): Json {
  const doc = structuredClone(source);
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  const parts = partsOfAllOf(schemas);
  for (const [name, schema] of Object.entries(schemas)) {
    schemas[name] = convert(schema, mode) as Json;
    if (mode === 'request' && !parts.has(name)) close(schemas[name]);
  }
  doc.paths = convert(doc.paths, mode);
  const responses = Object.values((doc.components as { responses?: Json }).responses ?? {});
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const { requestBody, responses: answers } = operation as Json;
      const body = (requestBody as { content?: Record<string, Json> } | undefined)?.content;
      for (const media of Object.values(body ?? {})) {
        if (media.schema) media.schema = closeRoot(dispatch(media.schema as Json, schemas));
      }
      responses.push(...Object.values((answers as Json | undefined) ?? {}));
    }
  }
  for (const answer of responses as { content?: Record<string, Json> }[]) {
    const content = answer.content;
    if (!content) continue;
    content['application/json'] ??= content['application/problem+json'];
    for (const media of Object.values(content)) {
      if (media.schema) media.schema = dispatch(media.schema as Json, schemas);
    }
  }
  return doc;
}

/** One schema (and what it contains) with nullable and readOnly/writeOnly made JSON Schema. */
function convert(schema: unknown, mode: Mode): unknown {
  if (Array.isArray(schema)) return schema.map((item) => convert(item, mode));
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'example' || key === 'examples') {
      out[key] = value;
    } else if (key === 'properties') {
      const skip = mode === 'request' ? 'readOnly' : 'writeOnly';
      const properties = value as Record<string, Json>;
      out.properties = Object.fromEntries(
        Object.entries(properties).map(([name, child]) => [
          name,
          child[skip] === true && mode === 'request' ? false : convert(child, mode),
        ]),
      );
      if (Array.isArray(source.required)) {
        out.required = source.required.filter((name) => properties[name]?.[skip] !== true);
      }
    } else if (key !== 'required' || !source.properties) {
      out[key] = convert(value, mode);
    }
  }
  if (out.nullable === undefined || out.type !== undefined) return out;
  const nullable = out.nullable === true;
  delete out.nullable;
  return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

/**
 * Component schemas that are one of several parts of an allOf (Rol in medewerker_Rol): closing
 * them would reject the other parts' properties. The root of a body is closed separately.
 */
function partsOfAllOf(schemas: Record<string, Json>): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const allOf = (node as Json).allOf;
    if (Array.isArray(allOf) && allOf.length > 1) {
      for (const part of allOf as Json[]) {
        if (typeof part.$ref === 'string') names.add(part.$ref.split('/').pop()!);
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(schemas);
  return names;
}

/**
 * Closes a plain object schema of a request, so that a field it does not have (a BSN in a
 * medewerker's betrokkeneIdentificatie) is a violation rather than silently stored.
 */
function close(schema: Json): void {
  const plain = schema.properties && !schema.allOf && !schema.anyOf && !schema.oneOf;
  if (plain && schema.additionalProperties === undefined) schema.additionalProperties = false;
}

/** A request body closed at its root, also when it is composed (a Rol is its subtype too). */
function closeRoot(schema: Json): Json {
  return { allOf: [schema], unevaluatedProperties: false };
}

/**
 * A body of a discriminated schema with a mapping (Rol: betrokkeneType) validated as the subtype
 * the mapping names. The subtypes are allOf the base, so the base itself cannot dispatch without
 * recursing. One without a mapping (GeoJSONGeometry) sits on a oneOf that decides by itself.
 */
function dispatch(schema: Json, schemas: Record<string, Json>): Json {
  const name = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : '';
  const discriminator = schemas[name]?.discriminator as
    { propertyName: string; mapping?: Record<string, string> } | undefined;
  const mapping = Object.entries(discriminator?.mapping ?? {});
  if (!discriminator || mapping.length === 0) return schema;
  const property = discriminator.propertyName;
  return {
    allOf: [
      schema,
      ...mapping.map(([value, target]) => ({
        if: { properties: { [property]: { const: value } }, required: [property] },
        then: { $ref: target },
      })),
    ],
  };
}

/**
 * The library's finding as a ZGW invalidParam: named by the field (the property itself when it
 * is missing or unknown, as the APIs name it), the parameter (as the specification spells it:
 * the library compares headers in lower case) or "body".
 */
function describe(
  error: ErrorObject,
  where: string,
  path: string[],
  names: Map<string, string> = new Map(),
): InvalidParam {
  const extra = error.params as Json;
  const property =
    (extra.missingProperty as string | undefined) ??
    (extra.unevaluatedProperty as string | undefined) ??
    (extra.additionalProperty as string | undefined);
  const field = where === 'body' || where === 'answer' ? path.join('.') : path[0];
  const name = where === 'body' || where === 'answer' ? (property ?? field) : (field ?? property);
  const unknown = where === 'query' && error.keyword === 'additionalProperties';
  return {
    name: names.get(name ?? '') ?? (name || where),
    code: error.keyword === 'required' ? 'required' : unknown ? 'unknown-parameters' : 'invalid',
    reason: `${[where, ...path].join('/')} ${error.message ?? error.keyword}`,
  };
}

export class ZgwSpecValidator {
  private constructor(
    /** Routes, and checks requests against the document's request view. */
    private readonly requests: OpenAPIBackend,
    /** Checks answers against the document's response view. */
    private readonly answers: OpenAPIBackend,
  ) {}

  /** The validator of one document in ./specs. */
  static async load(file: string): Promise<ZgwSpecValidator> {
    const doc = load(readFileSync(join(SPECS, file), 'utf8')) as Json;
    const backend = (mode: Mode) =>
      new OpenAPIBackend({
        definition: view(doc, mode) as unknown as Document,
        // Quick: validators are compiled for the operations used, not all ~60 at start, and the
        // library's check of the document is skipped: the view has JSON Schema keywords (if,
        // unevaluatedProperties, type null) that OpenAPI 3.0's own schema does not allow.
        quick: true,
        strict: true,
        ajvOpts: { allErrors: true, logger: false },
        // The library adds only OpenAPI's own formats; uri, uuid, date(-time) are ajv-formats'.
        // A body is checked by the 2019-09 Ajv, which knows unevaluatedProperties.
        customizeAjv: (ajv, options, context) =>
          formats(
            context === ValidationContext.RequestBody
              ? (new Ajv2019(options) as unknown as Ajv)
              : ajv,
          ),
      }).init();
    const [requests, answers] = await Promise.all([backend('request'), backend('response')]);
    return new ZgwSpecValidator(requests, answers);
  }

  /** The operation a method and path (below the API's base path) name, or why there is none. */
  find(method: string, path: string): Operation | string {
    const request = { method, path, headers: {} };
    let operation: SpecOperation;
    try {
      operation = this.requests.router.matchOperation(request, true);
    } catch (error) {
      return (error as Error).message.startsWith('405')
        ? `no ${method} ${path} in the specification`
        : `no path ${path} in the specification`;
    }
    return {
      operationId: String(operation.operationId),
      method: operation.method,
      template: operation.path,
      path,
      pathParams: this.requests.router.parseRequest(request, operation).params as Record<
        string,
        string
      >,
    };
  }

  /**
   * Everything wrong with a request for the operation: parameters (path, query, header, each
   * against its schema; required ones present; no unknown query parameter) and the body.
   */
  check(
    operation: Operation,
    query: URLSearchParams,
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
  ): InvalidParam[] {
    const spec = this.operation(this.requests, operation);
    const sent: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) sent[name.toLowerCase()] = value;
    }
    // ZGW declares Content-Type as a header parameter with the enum [application/json], which
    // the library compares as it is; only the media type is meant (not "; charset=utf-8").
    if (typeof sent['content-type'] === 'string') {
      sent['content-type'] = sent['content-type'].split(';')[0].trim().toLowerCase();
    }
    const result = this.requests.validateRequest(
      {
        method: operation.method,
        path: operation.path,
        headers: sent,
        query: query.toString(),
        body,
      },
      spec,
    );
    const names = new Map(
      (spec.parameters as { name: string; in: string }[])
        .filter((param) => param.in === 'header')
        .map((param) => [param.name.toLowerCase(), param.name]),
    );
    const problems = (result.errors ?? []).map((error) => {
      const [part, ...path] = error.instancePath.split('/').slice(1);
      // The one finding about the whole request: the library's "required property requestBody".
      if (part === undefined) return { name: 'body', code: 'required', reason: 'no JSON body' };
      return part === 'requestBody'
        ? describe(error, 'body', path)
        : describe(error, part, path, names);
    });
    // The library leaves a body sent to an operation that takes none alone.
    if (!spec.requestBody && body !== undefined) {
      problems.push({ name: 'body', code: 'invalid', reason: 'the operation takes no body' });
    }
    return problems;
  }

  /** Whether the operation needs the bearer token (its checks are the server's: a JWT). */
  secured(operation: Operation): boolean {
    return (this.operation(this.requests, operation).security ?? []).length > 0;
  }

  /** Why an answer of the test server itself does not match the specification, if it does not. */
  checkAnswer(operation: Operation, status: number, body: unknown): InvalidParam[] {
    const spec = this.operation(this.answers, operation);
    // The library passes a status the operation does not list, and a body where it has none.
    const answer = (spec.responses as Record<string, { content?: Json }>)[String(status)];
    if (!answer) return [{ name: 'status', code: 'invalid', reason: `no ${status} response` }];
    if (!answer.content) {
      return body === undefined ? [] : [{ name: 'body', code: 'invalid', reason: 'no body' }];
    }
    const result = this.answers.validateResponse(body, spec, status);
    return (result.errors ?? []).map((error) =>
      describe(error, 'answer', error.instancePath.split('/').slice(1)),
    );
  }

  private operation(backend: OpenAPIBackend, operation: Operation): SpecOperation {
    return backend.router.getOperation(operation.operationId)!;
  }
}
