import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormatsPlugin from 'ajv-formats';
import { load } from 'js-yaml';

/**
 * Checks requests against one official ZGW OpenAPI 3.0 document (vendored unchanged in ./specs,
 * so a fresh CI machine needs nothing else) and the test server's own answers against it.
 * Ajv does the schema work; this file only turns OpenAPI 3.0 into JSON Schema (2019-09) and finds
 * the operation, as a general OpenAPI validator would. Where the real Open Zaak is lenient, this
 * is stricter on purpose, so that a client bug shows up as a violation instead of being ignored:
 * unknown body fields (at the root and in component objects), readOnly fields in a request and
 * unknown query parameters are rejected.
 */

type Json = Record<string, unknown>;

export interface InvalidParam {
  readonly name: string;
  readonly code: string;
  readonly reason: string;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Json;
}

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  readonly pathParams: Record<string, string>;
}

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly item: Json;
}

const SPECS = join(dirname(fileURLToPath(import.meta.url)), 'specs');
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];
const formats = addFormatsPlugin as unknown as (ajv: Ajv2019) => Ajv2019;

type Mode = 'request' | 'response';

/**
 * One OpenAPI 3.0 schema as JSON Schema. `nullable` becomes a null alternative; `$ref`s point
 * into the definitions of one Ajv schema per document and mode; OpenAPI-only keywords go. In a
 * request a readOnly property may not be sent and is not required (OpenAPI 3.0: "required takes
 * effect on the response only"); in a response a writeOnly one is not required.
 */
function convert(schema: unknown, id: string, mode: Mode): unknown {
  if (Array.isArray(schema)) return schema.map((item) => convert(item, id, mode));
  if (!schema || typeof schema !== 'object') return schema;
  const source = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (['example', 'examples', 'nullable', 'discriminator', 'xml', 'externalDocs'].includes(key))
      continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', `${id}#/$defs/`);
    } else if (key === 'properties') {
      const skip = mode === 'request' ? 'readOnly' : 'writeOnly';
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, child]) => [
          name,
          (child as Json)[skip] === true ? false : convert(child, id, mode),
        ]),
      );
      if (Array.isArray(source.required)) {
        const properties = value as Record<string, Json>;
        out.required = source.required.filter((name) => properties[name]?.[skip] !== true);
      }
    } else if (key !== 'required' || !source.properties) {
      out[key] = convert(value, id, mode);
    }
  }
  if (source.nullable !== true) return out;
  if (typeof out.type === 'string' && !out.allOf && !out.oneOf && !out.anyOf && !out.$ref) {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

/**
 * A discriminated schema (Rol: betrokkeneType) validated as the subtype its mapping names. The
 * subtypes are allOf the base, so the base itself cannot dispatch without recursing.
 */
function dispatch(id: string, name: string, schema: Json): Json {
  const discriminator = schema.discriminator as { propertyName: string; mapping?: Json };
  const mapping = Object.entries(discriminator.mapping ?? {});
  const property = discriminator.propertyName;
  return {
    $ref: `${id}#/$defs/${name}`,
    allOf: mapping.map(([value, target]) => ({
      if: { properties: { [property]: { const: value } }, required: [property] },
      then: { $ref: String(target).replace('#/components/schemas/', `${id}#/$defs/`) },
    })),
  };
}

/**
 * Component schemas that are one of several parts of an allOf (Rol in medewerker_Rol): closing
 * them would reject the other parts' properties. The root of a body is closed separately, with
 * unevaluatedProperties, which sees through the composition.
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

/** A discriminator with a mapping; one without (GeoJSONGeometry) sits on a oneOf that decides. */
function mapped(schema: Json): boolean {
  return Object.keys((schema.discriminator as { mapping?: Json })?.mapping ?? {}).length > 0;
}

function describe(errors: ErrorObject[] | null | undefined, where: string): InvalidParam[] {
  return (errors ?? []).map((error) => {
    const extra = error.params as Json;
    const field =
      (extra.missingProperty as string) ??
      (extra.unevaluatedProperty as string) ??
      (extra.additionalProperty as string) ??
      error.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return {
      name: field || where,
      code: error.keyword === 'required' ? 'required' : 'invalid',
      reason: `${where}${error.instancePath} ${error.message ?? error.keyword}`,
    };
  });
}

export class ZgwSpecValidator {
  private readonly doc: Json;
  private readonly ajv = formats(new Ajv2019({ strict: false, allErrors: true, logger: false }));
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly file: string) {
    this.doc = load(readFileSync(join(SPECS, file), 'utf8')) as Json;
    const schemas = (this.doc.components as { schemas: Record<string, Json> }).schemas;
    const composed = partsOfAllOf(schemas);
    for (const mode of ['request', 'response'] as const) {
      const id = `${file}:${mode}`;
      const defs: Json = {};
      for (const [name, schema] of Object.entries(schemas)) {
        defs[name] = convert(schema, id, mode);
        if (mode === 'request' && !composed.has(name)) close(defs[name] as Json);
        if (mapped(schema)) defs[`${name}.dispatch`] = dispatch(id, name, schema);
      }
      this.ajv.addSchema({ $id: id, $defs: defs });
    }
    this.routes = Object.entries(this.doc.paths as Record<string, Json>).map(([template, item]) => {
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const source = template.replace(/\{\w+\}/g, '([^/]+)').replace(/[.]/g, '\\.');
      return { template, names, item, pattern: new RegExp(`^${source}/?$`) };
    });
    // A literal segment wins over a parameter: /zaken/_zoek is not the zaak with uuid "_zoek".
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  /** The operation a method and path (below the API's base path) name, or why there is none. */
  find(method: string, path: string): Operation | string {
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    if (!route) return `no path ${path} in the specification`;
    const operation = route.item[method.toLowerCase()] as Json | undefined;
    if (!operation || !METHODS.includes(method.toLowerCase()))
      return `no ${method} ${route.template} in the specification`;
    const values = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
    return {
      operationId: String(operation.operationId),
      method: method.toLowerCase(),
      template: route.template,
      pathParams: Object.fromEntries(route.names.map((name, index) => [name, values[index]])),
    };
  }

  /**
   * Everything wrong with a request for the operation: parameters (path, query, header, each
   * against its schema; required ones present) and the body against the operation's
   * request schema, closed at its root.
   */
  check(
    operation: Operation,
    query: URLSearchParams,
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
  ): InvalidParam[] {
    const op = this.operation(operation);
    const problems: InvalidParam[] = [];
    const params = this.parameters(operation);
    for (const param of params) {
      const raw =
        param.in === 'path'
          ? operation.pathParams[param.name]
          : param.in === 'query'
            ? (query.get(param.name) ?? undefined)
            : headerValue(headers, param.name);
      if (raw === undefined) {
        if (param.required) problems.push(missing(param));
        continue;
      }
      const value = param.name.toLowerCase() === 'content-type' ? mediaType(raw) : raw;
      problems.push(...this.parameter(operation, param, value));
    }
    const known = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of query.keys()) {
      if (!known.has(name))
        problems.push({ name, code: 'unknown-parameters', reason: `unknown query ${name}` });
    }
    const requestBody = this.resolve(op.requestBody) as Json | undefined;
    if (requestBody) {
      const content = requestBody.content as Record<string, { schema: Json }>;
      const schema = content['application/json']?.schema;
      if (body === undefined && requestBody.required) {
        problems.push({ name: 'body', code: 'required', reason: 'no JSON body' });
      } else if (schema && body !== undefined) {
        const validate = this.compile(`${operation.operationId}:body`, () => ({
          ...this.root(schema, 'request'),
          unevaluatedProperties: false,
        }));
        if (!validate(body)) problems.push(...describe(validate.errors, 'body'));
      }
    } else if (body !== undefined) {
      problems.push({ name: 'body', code: 'invalid', reason: 'the operation takes no body' });
    }
    return problems;
  }

  /** Whether the operation needs the bearer token (its checks are the server's: a JWT). */
  secured(operation: Operation): boolean {
    const security = (this.operation(operation).security ?? this.doc.security) as unknown[];
    return (security ?? []).length > 0;
  }

  /** Why an answer of the test server itself does not match the specification, if it does not. */
  checkAnswer(operation: Operation, status: number, body: unknown): InvalidParam[] {
    const responses = this.operation(operation).responses as Json;
    const answer = this.resolve(responses[String(status)]) as Json | undefined;
    if (!answer) return [{ name: 'status', code: 'invalid', reason: `no ${status} response` }];
    const content = answer.content as Record<string, { schema: Json }> | undefined;
    const schema = content && Object.values(content)[0]?.schema;
    if (!schema) return body === undefined ? [] : [{ name: 'body', code: 'invalid', reason: '' }];
    const validate = this.compile(`${operation.operationId}:${status}`, () =>
      this.root(schema, 'response'),
    );
    return validate(body) ? [] : describe(validate.errors, 'answer');
  }

  private operation(operation: Operation): Json {
    const item = this.routes.find((route) => route.template === operation.template)!.item;
    return item[operation.method] as Json;
  }

  private parameters(operation: Operation): Parameter[] {
    const item = this.routes.find((route) => route.template === operation.template)!.item;
    const all = [
      ...((item.parameters as Json[]) ?? []),
      ...((this.operation(operation).parameters as Json[]) ?? []),
    ].map((param) => this.resolve(param) as unknown as Parameter);
    // An operation's parameter overrides the path item's of the same name and place.
    return [
      ...new Map(all.map((param) => [`${param.in}:${param.name.toLowerCase()}`, param])).values(),
    ];
  }

  private parameter(operation: Operation, param: Parameter, raw: string): InvalidParam[] {
    const key = `${operation.operationId}:${param.in}:${param.name}`;
    const validate = this.compile(key, () => this.root(param.schema ?? {}, 'request'));
    const type = (param.schema ?? {}).type;
    const value =
      type === 'integer' || type === 'number'
        ? Number(raw)
        : type === 'array'
          ? raw.split(',')
          : type === 'boolean'
            ? raw === 'true'
              ? true
              : raw === 'false'
                ? false
                : raw
            : raw;
    return validate(value) ? [] : describe(validate.errors, param.name);
  }

  /** A schema of a body or parameter, with a discriminated $ref dispatched to its subtype. */
  private root(schema: Json, mode: Mode): Json {
    const name = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : undefined;
    const schemas = (this.doc.components as { schemas: Record<string, Json> }).schemas;
    const id = `${this.file}:${mode}`;
    if (name && mapped(schemas[name] ?? {})) return { $ref: `${id}#/$defs/${name}.dispatch` };
    return convert(schema, id, mode) as Json;
  }

  private compile(key: string, make: () => Json): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(make());
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** Follows a `#/components/...` reference of a request body, response or parameter. */
  private resolve(value: unknown): unknown {
    const ref = (value as Json | undefined)?.$ref;
    if (typeof ref !== 'string') return value;
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, part) => (node as Json)[part], this.doc);
  }
}

function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `application/json; charset=utf-8` is application/json: only the media type is compared. */
function mediaType(value: string): string {
  return value.split(';')[0].trim().toLowerCase();
}

function missing(param: Parameter): InvalidParam {
  return {
    name: param.name,
    code: 'required',
    reason: `required ${param.in} ${param.name} missing`,
  };
}
