import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';

type Apply = (schema: SchemaObject, constraints: unknown[]) => void;

const set = (schema: SchemaObject, values: Partial<SchemaObject>) => {
  for (const [key, value] of Object.entries(values)) {
    // An explicit value in @ApiProperty wins: it may say more than the validator does.
    if (value !== undefined && (schema as Record<string, unknown>)[key] === undefined) {
      (schema as Record<string, unknown>)[key] = value;
    }
  }
};

const describe = (schema: SchemaObject, text: string) => {
  if (!schema.description?.includes(text)) {
    schema.description = schema.description ? `${schema.description}. ${text}` : text;
  }
};

/**
 * What each class-validator rule means in JSON Schema: the document states the same limits
 * as the validation pipe enforces (the @nestjs/swagger CLI plugin's class-validator shim does
 * this at compile time; this project compiles with plain tsc).
 */
const RULES: Record<string, Apply> = {
  isNotEmpty: (s) => set(s, { minLength: 1 }),
  minLength: (s, [min]) => set(s, { minLength: min as number }),
  maxLength: (s, [max]) => set(s, { maxLength: max as number }),
  isLength: (s, [min, max]) => set(s, { minLength: min as number, maxLength: max as number }),
  matches: (s, [pattern]) =>
    set(s, { pattern: pattern instanceof RegExp ? pattern.source : String(pattern) }),
  isUuid: (s) => set(s, { format: 'uuid' }),
  isDateOnly: (s) => set(s, { format: 'date' }),
  isIn: (s, [values]) => set(s, { enum: values as unknown[] }),
  isInt: (s) => {
    s.type = 'integer';
  },
  min: (s, [min]) => set(s, { minimum: min as number }),
  max: (s, [max]) => set(s, { maximum: max as number }),
  arrayMinSize: (s, [min]) => set(s, { minItems: min as number }),
  arrayMaxSize: (s, [max]) => set(s, { maxItems: max as number }),
  bsn: (s) => {
    set(s, { pattern: '^[0-9]{9}$' });
    describe(s, 'Nine digits that pass the 11-proof (elfproef)');
  },
  pastDate: (s) => {
    set(s, { format: 'date' });
    describe(s, 'Not in the future');
  },
};

function ruleName(metadata: ValidationMetadata): string | undefined {
  if (metadata.name) return metadata.name;
  // @Validate(SomeConstraint): the name is that of the constraint class.
  const storage = getMetadataStorage() as unknown as {
    constraintMetadatas: Map<unknown, Array<{ name: string }>>;
  };
  return storage.constraintMetadatas.get(metadata.constraintCls)?.[0]?.name;
}

interface Storage {
  validationMetadatas: Map<Type, ValidationMetadata[]>;
  getTargetValidationMetadatas(
    target: Type,
    schema: string,
    always: boolean,
    strictGroups: boolean,
  ): ValidationMetadata[];
}

/**
 * Writes every class-validator constraint of the DTOs into their component schemas. `dtos`
 * adds classes that only inherit their rules (a request body class that extends another),
 * which the validator's storage does not list under their own name.
 */
export function applyValidationConstraints(
  document: OpenAPIObject,
  dtos: readonly Type[] = [],
): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const storage = getMetadataStorage() as unknown as Storage;
  const classes = new Set([...storage.validationMetadatas.keys(), ...dtos]);
  for (const target of classes) {
    const schema = schemas[target.name];
    if (!schema?.properties) continue;
    // The same lookup as the validation pipe's: own rules and inherited ones.
    for (const metadata of storage.getTargetValidationMetadatas(target, '', true, false)) {
      const property = schema.properties[metadata.propertyName] as SchemaObject | undefined;
      const apply = RULES[ruleName(metadata) ?? ''];
      if (!property || !apply) continue;
      const subject = metadata.each ? (property.items as SchemaObject | undefined) : property;
      if (subject) apply(subject, metadata.constraints ?? []);
    }
  }
}
