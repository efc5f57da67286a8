import type { FieldError } from './problem-details.js';
import { fieldPath } from './validation.js';

/**
 * The C0 control characters other than tab, line feed and carriage return: what XML 1.0 allows
 * in no document either. No client types them; PostgreSQL refuses NUL in text and jsonb
 * (22P05, 22021), so one in an event's data fails the append with a 500, and the others break
 * terminals, logs and exports downstream.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

export const CONTROL_CHARACTER_MESSAGE =
  'must not contain control characters (U+0000 to U+001F other than tab, line feed and carriage return)';

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * The paths of the strings in `value` (keys too) that hold a control character, at most
 * `limit`; iterative, so that no nesting overflows it.
 */
export function controlCharacterFields(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const pending: Array<{ value: unknown; path: string; key?: string }> = [{ value, path: '' }];
  while (pending.length > 0 && found.length < limit) {
    const next = pending.pop()!;
    if (next.key !== undefined && hasControlCharacter(next.key)) {
      found.push(next.path);
    } else if (typeof next.value === 'string') {
      if (hasControlCharacter(next.value)) found.push(next.path || 'body');
    } else if (next.value !== null && typeof next.value === 'object') {
      // Reversed onto the stack, so that fields are named in document order.
      for (const [key, child] of Object.entries(next.value).reverse()) {
        pending.push({ value: child, path: fieldPath(next.path, key), key });
      }
    }
  }
  return found;
}

/**
 * A field error for each string of the body or query (keys too) that holds a control
 * character. configure-app checks every request with it once, before any pipe, interceptor or
 * handler sees the values: no per-DTO decorator can be forgotten on a new field.
 */
export function controlCharacterErrors(body: unknown, query: unknown): FieldError[] {
  return [...controlCharacterFields(body), ...controlCharacterFields(query)].map((field) => ({
    field,
    messages: [CONTROL_CHARACTER_MESSAGE],
  }));
}
