import type { Sealed } from './sealed.js';

type Prefixed<Key extends string, Path extends string> = Path extends ''
  ? Key
  : Path extends `[]${string}`
    ? `${Key}${Path}`
    : `${Key}.${Path}`;

type Depth = [never, 0, 1, 2, 3, 4, 5];

/**
 * The paths of a value's Sealed fields, from its type: `goal.familyWording`,
 * `members[].personal`; '' for a Sealed value itself. Optional and nullable fields count.
 * Event data is shallow: six levels are plenty, and bound the type's recursion.
 */
export type SealedPaths<T, D extends number = 6> = [D] extends [never]
  ? never
  : [T] extends [Sealed]
    ? ''
    : T extends string | number | boolean | bigint | symbol
      ? never
      : T extends readonly (infer Item)[]
        ? Prefixed<'[]', SealedPaths<NonNullable<Item>, Depth[D]>>
        : T extends object
          ? {
              [K in keyof T & string]-?: Prefixed<K, SealedPaths<NonNullable<T[K]>, Depth[D]>>;
            }[keyof T & string]
          : never;

/**
 * For each event type of a union, exactly its data's Sealed fields (a missing or a made-up path
 * does not compile). The audit hides them from this declaration, not from the text's look.
 */
export type SealedFieldsOf<Event extends { type: string; data: unknown }> = {
  readonly [Type in Event['type']]: ExactlyTrue<
    SealedPaths<Extract<Event, { type: Type }>['data']>
  >;
};

/** `{}` would accept any key: an event without sealed fields gets a record that accepts none. */
type ExactlyTrue<Paths extends string> = [Paths] extends [never]
  ? Readonly<Record<string, never>>
  : { readonly [Path in Paths]: true };

/**
 * The value with every field a path names replaced (undefined and null stay as they are).
 * Paths are as SealedPaths gives them.
 */
export function replaceAt(value: unknown, paths: readonly string[], by: unknown): unknown {
  let result = value;
  for (const path of paths) result = replacePath(result, path === '' ? [] : split(path), by);
  return result;
}

function split(path: string): string[] {
  return path.split(/\.|(?=\[\])/).flatMap((part) => (part.startsWith('[]') ? ['[]'] : [part]));
}

function replacePath(value: unknown, parts: readonly string[], by: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (parts.length === 0) return by;
  const [head, ...rest] = parts;
  if (head === '[]') {
    return Array.isArray(value) ? value.map((item) => replacePath(item, rest, by)) : value;
  }
  if (typeof value !== 'object' || Array.isArray(value) || !(head in value)) return value;
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replacePath(record[head], rest, by) };
}
