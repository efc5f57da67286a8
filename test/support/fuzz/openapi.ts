/** The parts of an OpenAPI 3 document the fuzzer reads, with every `$ref` resolved. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  $ref?: string;
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  /** `POST /api/v1/families/{familyId}/plan`, for messages. */
  readonly id: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly pathParams: Parameter[];
  readonly queryParams: Parameter[];
  /** Lower-cased, without duplicates: Nest documents `@Headers('if-match')` besides `If-Match`. */
  readonly headerParams: string[];
  /** The JSON request body, when the operation documents one. */
  readonly body?: Schema;
  /** A command: anything but GET. Its hostile requests must all be refused. */
  readonly isCommand: boolean;
  /** No security requirement (health, dev tokens and clock): a bad token breaks nothing. */
  readonly isPublic: boolean;
}

interface Document {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: unknown; security?: unknown[] }>
  >;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Inlines `$ref` and merges `allOf`; the document's DTO graph has no cycles. */
function resolve(schema: Schema | undefined, doc: Document, depth = 0): Schema | undefined {
  if (!schema) return undefined;
  if (depth > 20) throw new Error('schema nesting too deep: a cycle?');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(target, doc, depth + 1);
  }
  if (schema.allOf) {
    return Object.assign({}, ...schema.allOf.map((part) => resolve(part, doc, depth + 1)));
  }
  const properties = schema.properties
    ? Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)!]),
      )
    : undefined;
  return {
    ...schema,
    ...(properties ? { properties } : {}),
    ...(schema.items ? { items: resolve(schema.items, doc, depth + 1) } : {}),
  };
}

/** Every path and method of the document: a new endpoint is fuzzed without touching the test. */
export function operationsOf(doc: Document): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = op.parameters ?? [];
      const body = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content?.['application/json']?.schema;
      operations.push({
        id: `${method.toUpperCase()} ${path}`,
        method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: [
          ...new Set(parameters.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase())),
        ],
        body: resolve(body, doc),
        isCommand: method !== 'get',
        isPublic: !op.security?.length,
      });
    }
  }
  return operations;
}

/** Fills `{name}` placeholders with already URL-encoded segments. */
export function fillPath(path: string, segments: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const segment = segments[name];
    if (segment === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return segment;
  });
}
