import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';

type Schema = SchemaObject & Partial<ReferenceObject>;
const MAX_DEPTH = 12;

/**
 * An example value built from the schema's own property examples (enums: the first value;
 * ids, dates, numbers and booleans a typical value).
 * Undefined where nothing can be built: the OpenAPI test then finds a media type without a
 * valid example and names the property to give an `example`.
 */
export function exampleOf(
  schema: Schema | undefined,
  schemas: Record<string, Schema>,
  depth = 0,
): unknown {
  if (!schema || depth > MAX_DEPTH) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.$ref) return exampleOf(schemas[schema.$ref.split('/').pop()!], schemas, depth + 1);
  if (schema.allOf?.length === 1) return exampleOf(schema.allOf[0] as Schema, schemas, depth + 1);
  // One of several bodies (a query parameter chooses): the first one's example is valid.
  if (schema.oneOf?.length) return exampleOf(schema.oneOf[0] as Schema, schemas, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'array') {
    const item = exampleOf(schema.items as Schema, schemas, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (schema.properties) {
    const entries = Object.entries(schema.properties).map(
      ([key, child]) => [key, exampleOf(child as Schema, schemas, depth + 1)] as const,
    );
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  }
  if (schema.nullable) return null;
  return BY_TYPE[schema.format ?? ''] ?? BY_TYPE[String(schema.type)];
}

/** Values any reader recognises; strings other than these need an `example` of their own. */
const BY_TYPE: Record<string, unknown> = {
  uuid: '3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10',
  date: '2027-03-01',
  'date-time': '2027-01-15T09:00:00.000Z',
  boolean: false,
  integer: 1,
  number: 1,
};

/** Gives every JSON request body and response without an example one from its schema. */
export function addMediaExamples(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const item of Object.values(document.paths)) {
    for (const value of Object.values(item)) {
      if (!value || typeof value !== 'object' || !('responses' in value)) continue;
      const operation = value as OperationObject;
      const bodies = [
        (operation.requestBody as { content?: object } | undefined)?.content,
        ...Object.values(operation.responses).map((r) => (r as { content?: object }).content),
      ];
      for (const content of bodies) {
        for (const [type, media] of Object.entries(content ?? {})) {
          const m = media as { schema?: Schema; example?: unknown; examples?: unknown };
          if (!type.includes('json') || m.example !== undefined || m.examples) continue;
          const example = exampleOf(m.schema, schemas);
          if (example !== undefined) m.example = example;
        }
      }
    }
  }
}
