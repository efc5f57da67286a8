import fc from 'fast-check';
import {
  BAD_DATES,
  HOSTILE_STRINGS,
  hostileString,
  longString,
  NOT_UUIDS,
  withControlCharacter,
} from './hostile-values.js';
import type { Schema } from './openapi.js';

/** Real values for properties by name, so that a body's ids point at existing resources. */
export type RealValues = Readonly<Record<string, readonly string[]>>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Slot = ReadonlyArray<string | number>;

/** Stands for a deeply nested value; replaced in the JSON text, JSON.stringify would overflow. */
export const DEEP = '__fuzz_deep_nesting__';

/**
 * A body of the operation's shape, from its schema: required and some optional properties, ids
 * of real resources, and now and then hostile text in a string field. It may be valid, or
 * refused by a validator (hostile text is often too short, too long or blank): either way it is
 * only sent together with something that surely breaks the request.
 */
export function plausibleBody(schema: Schema, real: RealValues): fc.Arbitrary<Json> {
  return plausible(schema, '', real, 0);
}

function plausible(
  schema: Schema,
  name: string,
  real: RealValues,
  depth: number,
): fc.Arbitrary<Json> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, child]) => [
          key,
          plausible(child, key, real, depth + 1),
        ]),
      );
      return fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Json>;
    }
    case 'array':
      return fc.array(plausible(schema.items ?? {}, name, real, depth + 1), {
        minLength: 1,
        maxLength: 2,
      });
    case 'number':
    case 'integer':
      return fc.constantFrom((schema.example as number | undefined) ?? 1, 0, 7);
    case 'boolean':
      return fc.boolean();
    default:
      return plausibleString(schema, name, real);
  }
}

function plausibleString(schema: Schema, name: string, real: RealValues): fc.Arbitrary<Json> {
  const known = real[name];
  if (known?.length) return fc.constantFrom(...known);
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  if (schema.format === 'date') return fc.constantFrom('2027-06-01', '2026-12-31', '2028-02-29');
  const sensible = fc.constant(
    typeof schema.example === 'string' ? schema.example : 'Een gewone tekst van de fuzzer',
  );
  return fc.oneof({ arbitrary: sensible, weight: 2 }, { arbitrary: hostileString, weight: 1 });
}

/** JSON values of a type the schema does not allow (null excluded: optional fields accept it). */
function wrongTypes(schema: Schema): Json[] {
  const deep = DEEP;
  const string: Json[] = [0, -1, 1.5, 1e21, true, false, {}, [], ['x'], { $gt: '' }, deep];
  if (schema.enum) return string;
  switch (schema.type) {
    case 'object':
      return ['x', '', 1, true, [], [{}], deep];
    case 'array':
      return ['x', '', 1, true, {}, { 0: 'x' }, { length: 1 }];
    case 'number':
    case 'integer':
      return ['1', '', '0x10', true, {}, [], [1], 1.5, -1, 1e308, deep];
    case 'boolean':
      return ['true', 'false', 1, 0, '', {}, [], [true]];
    default:
      return string;
  }
}

/** Enum lookalikes that are not members: case, space, NUL and unicode variants. */
function badEnumValues(schema: Schema): Json[] {
  const members = (schema.enum ?? []).map(String);
  const first = members[0] ?? 'x';
  const candidates = [
    first.toUpperCase(),
    ` ${first}`,
    `${first} `,
    `${first}\u0000`,
    `${first}\u200B`,
    first.replace(/a/g, 'а'), // Cyrillic a
    '',
    '*',
    ...HOSTILE_STRINGS,
  ];
  return candidates.filter((c) => !members.includes(c));
}

interface SlotInfo {
  readonly path: Slot;
  readonly schema: Schema;
  readonly required: boolean;
}

/** Every property present in `value`, at any depth (array items by their index). */
function slotsOf(schema: Schema, value: unknown, path: Slot = []): SlotInfo[] {
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
      const present = key in (value as Record<string, unknown>);
      if (!present) return [];
      const here: SlotInfo = {
        path: [...path, key],
        schema: child,
        required: (schema.required ?? []).includes(key),
      };
      return [here, ...slotsOf(child, (value as Record<string, unknown>)[key], here.path)];
    });
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    return value.flatMap((item, index) => slotsOf(schema.items!, item, [...path, index]));
  }
  return [];
}

/** Objects present in `value` (the body itself first), to add unknown fields to. */
function objectsOf(
  schema: Schema,
  value: unknown,
  path: Slot = [],
): Array<{ path: Slot; schema: Schema }> {
  if (schema.type !== 'object' || !value || typeof value !== 'object' || Array.isArray(value)) {
    if (schema.type === 'array' && Array.isArray(value) && schema.items) {
      return value.flatMap((item, i) => objectsOf(schema.items!, item, [...path, i]));
    }
    return [];
  }
  const own = [{ path, schema }];
  return [
    ...own,
    ...Object.entries(schema.properties ?? {}).flatMap(([key, child]) =>
      key in value ? objectsOf(child, (value as Record<string, unknown>)[key], [...path, key]) : [],
    ),
  ];
}

function setAt(
  root: Json,
  path: Slot,
  update: (parent: Record<string, Json> | Json[], key: string | number) => void,
): Json {
  const copy = structuredClone(root);
  let parent = copy as Record<string, Json>;
  for (const step of path.slice(0, -1))
    parent = (parent as Record<string | number, Json>)[step] as Record<string, Json>;
  update(parent, path[path.length - 1]);
  return copy;
}

/** How a break by a control character is labelled; the answer must name the field after it. */
export const CONTROL_CHARACTER_IN = 'control character in';

/** The field as the service names it: `members[0].givenName`. */
function fieldName(path: Slot): string {
  return path
    .map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`))
    .join('');
}

/** Every string in `value` (array items too), wherever the schema put it. */
function stringsOf(value: Json, path: Slot = []): Array<{ path: Slot; text: string }> {
  if (typeof value === 'string') return path.length ? [{ path, text: value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsOf(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => stringsOf(child, [...path, key]));
  }
  return [];
}

const UNKNOWN_FIELD_NAMES = [
  'extra',
  'isAdmin',
  'roles',
  'position',
  'familyID',
  '$where',
  '$gt',
  'a.b',
  '',
  ' ',
  '🙂',
  '\u0000',
  longString(300, 'k'),
];

export interface Mutation {
  readonly body: Json;
  readonly what: string;
}

/**
 * One change that every validator must refuse, with a label for messages. `prototype` keys
 * (`__proto__`, `constructor`) are only ever added next to a sure break: a parser may drop them.
 */
export function breakBody(schema: Schema, base: Json): fc.Arbitrary<Mutation> {
  const slots = slotsOf(schema, base);
  const objects = objectsOf(schema, base);
  const options: Array<fc.Arbitrary<Mutation>> = [];
  const label = (path: Slot) => path.join('.') || 'body';

  if (objects.length) {
    options.push(
      fc
        .tuple(
          fc.constantFrom(...objects),
          fc.constantFrom(...UNKNOWN_FIELD_NAMES),
          fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString, fc.constant(DEEP)),
          fc.boolean(),
        )
        .filter(([target, name]) => !(name in (target.schema.properties ?? {})))
        .map(([target, name, value, prototypeToo]) => {
          const add = (object: Record<string, Json>) => {
            object[name] = value as Json;
            // A prototype-polluting key next to the sure break: whatever happens to it, no 5xx.
            if (prototypeToo)
              Object.defineProperty(object, '__proto__', {
                value: { isAdmin: true },
                enumerable: true,
              });
          };
          const body = target.path.length
            ? setAt(base, target.path, (parent, key) =>
                add((parent as Record<string | number, Json>)[key] as Record<string, Json>),
              )
            : (() => {
                const copy = structuredClone(base) as Record<string, Json>;
                add(copy);
                return copy;
              })();
          return { body, what: `unknown field ${JSON.stringify(name)} in ${label(target.path)}` };
        }),
    );
  }
  const required = slots.filter((s) => s.required);
  if (required.length) {
    options.push(
      fc.tuple(fc.constantFrom(...required), fc.boolean()).map(([slot, toNull]) => ({
        body: setAt(base, slot.path, (parent, key) => {
          if (toNull) (parent as Record<string | number, Json>)[key] = null;
          else if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key as string];
        }),
        what: `${toNull ? 'null for' : 'missing'} required ${label(slot.path)}`,
      })),
    );
  }
  if (slots.length) {
    options.push(
      fc
        .constantFrom(...slots)
        .chain((slot) =>
          fc.constantFrom(...wrongTypes(slot.schema)).map((value) => ({ slot, value })),
        )
        .map(({ slot, value }) => ({
          body: setAt(base, slot.path, (parent, key) => {
            (parent as Record<string | number, Json>)[key] = value;
          }),
          what: `wrong type ${JSON.stringify(value)} for ${label(slot.path)}`,
        })),
    );
  }
  const enums = slots.filter((s) => s.schema.enum);
  if (enums.length) {
    options.push(
      fc
        .constantFrom(...enums)
        .chain((slot) =>
          fc.constantFrom(...badEnumValues(slot.schema)).map((value) => ({ slot, value })),
        )
        .map(({ slot, value }) => ({
          body: setAt(base, slot.path, (parent, key) => {
            (parent as Record<string | number, Json>)[key] = value;
          }),
          what: `not one of the enum: ${JSON.stringify(value)} for ${label(slot.path)}`,
        })),
    );
  }
  const formatted = slots.filter((s) => s.schema.format === 'date' || s.schema.format === 'uuid');
  if (formatted.length) {
    options.push(
      fc
        .constantFrom(...formatted)
        .chain((slot) =>
          fc
            .constantFrom(...(slot.schema.format === 'date' ? BAD_DATES : NOT_UUIDS))
            .map((value) => ({ slot, value })),
        )
        .map(({ slot, value }) => ({
          body: setAt(base, slot.path, (parent, key) => {
            (parent as Record<string | number, Json>)[key] = value;
          }),
          what: `bad ${slot.schema.format} ${JSON.stringify(value)} for ${label(slot.path)}`,
        })),
    );
  }
  const texts = stringsOf(base);
  if (texts.length) {
    options.push(
      fc
        .constantFrom(...texts)
        .chain(({ path, text }) => withControlCharacter(text).map((value) => ({ path, value })))
        .map(({ path, value }) => ({
          body: setAt(base, path, (parent, key) => {
            (parent as Record<string | number, Json>)[key] = value;
          }),
          what: `${CONTROL_CHARACTER_IN} ${fieldName(path)}`,
        })),
    );
  }
  options.push(
    fc.constantFrom<Json>([], [base], [[base]], [null], DEEP).map((body) => ({
      body,
      what: `not an object: ${JSON.stringify(body).slice(0, 40)}`,
    })),
  );
  return fc.oneof(...options);
}

/** A body for a command that takes none: any field at all, or not an object. */
export const breakEmptyBody: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...UNKNOWN_FIELD_NAMES),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileString),
    )
    .map(([name, value]) => ({
      body: { [name]: value as Json },
      what: `unknown field ${JSON.stringify(name)}`,
    })),
  fc.constantFrom<Json>([], [{}], [null], DEEP, { a: DEEP }).map((body) => ({
    body,
    what: `not an empty object: ${JSON.stringify(body).slice(0, 40)}`,
  })),
);

/** Replaces the deep-nesting placeholder with `depth` nested arrays (JSON.stringify cannot). */
export function toJsonText(body: unknown, depth: number): string {
  const text = JSON.stringify(body) ?? 'null';
  return text.split(JSON.stringify(DEEP)).join(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}
