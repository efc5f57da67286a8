import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { validationProblem, type FieldError, type ProblemException } from './problem-details.js';

/**
 * Deeper than any body or query of this API (the deepest, a decision's directive, is 3): more
 * is hostile, and class-transformer recurses without bound (20 000 nested arrays overflow the
 * stack: a 500 instead of a 400).
 */
export const MAX_NESTING = 32;

/**
 * `members[0].dateOfBirth`: a key that is not an identifier is quoted (`[""]`, `["a.b"]`), so
 * that even an empty or odd unknown field is named unambiguously.
 */
export function fieldPath(parent: string, key: string): string {
  if (/^\d+$/.test(key)) return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Flattens nested class-validator errors into `members[0].dateOfBirth`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = fieldPath(parent, error.property);
    const own: FieldError[] = error.constraints
      ? [{ field, messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The path of the first value nested more than `max` levels deep; iterative, so never overflows. */
export function tooDeeplyNested(value: unknown, max = MAX_NESTING): string | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: '', depth: 0 },
  ];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= max) return next.path;
    for (const [key, child] of Object.entries(next.value)) {
      pending.push({ value: child, path: fieldPath(next.path, key), depth: next.depth + 1 });
    }
  }
  return undefined;
}

/**
 * The field error for a body nested deeper than MAX_NESTING, if any. configure-app checks every
 * body with it once, before anything walks the body (the idempotency hash, class-transformer);
 * queries cannot nest that deep (the query parser stops at 5 levels).
 */
export function nestingErrors(body: unknown): FieldError[] {
  const path = tooDeeplyNested(body);
  if (path === undefined) return [];
  return [{ field: path || 'body', messages: [`nested more than ${MAX_NESTING} levels deep`] }];
}

/** nestingErrors as a 400, or undefined. */
export function nestingProblem(body: unknown): ProblemException | undefined {
  const errors = nestingErrors(body);
  return errors.length ? validationProblem(errors) : undefined;
}

/** Unknown fields are rejected (400), not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
  });
}
