import { Param, ParseIntPipe, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { validationProblem } from './problem-details.js';
import { fieldPath } from './validation.js';

/** A path id that is not a UUID is a 400 naming the parameter, before any lookup happens. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => validationProblem([{ field: name, messages: ['must be a UUID'] }]),
  });
}

/** A path number (a plan version, say) that is not a whole number is a 400 naming it. */
export function intParam(name: string): ParseIntPipe {
  return new ParseIntPipe({
    exceptionFactory: () =>
      validationProblem([{ field: name, messages: ['must be a whole number'] }]),
  });
}

/**
 * For commands that take no body: any field sent is unknown, so a 400 names it (api.md), as
 * the validation pipe does for commands with a body.
 */
export const noBody: PipeTransform = {
  transform(value: unknown) {
    if (value === undefined || value === null) return undefined;
    const fields = typeof value === 'object' ? Object.keys(value) : ['body'];
    if (Array.isArray(value) || fields.length > 0) {
      throw validationProblem(
        (Array.isArray(value) ? ['body'] : fields).map((key) => {
          // Quoted when odd, so that even an empty key ("": 1) is named.
          const field = fieldPath('', key);
          return { field, messages: [`property ${field} should not exist`] };
        }),
      );
    }
    return undefined;
  },
};

/**
 * `@Param(name)` with the pipe that enforces it, and the parameter's schema in the OpenAPI
 * document taken from the same place, so the two cannot disagree.
 */
function documentedParam(
  name: string,
  pipe: PipeTransform,
  schema: { type: typeof String | 'integer'; format?: string },
): ParameterDecorator {
  return (target, key, index) => {
    Param(name, pipe)(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiParam({ name, required: true, ...schema })(target, key!, descriptor);
  };
}

/** A path id that must be a UUID (400 otherwise), documented as `format: uuid`. */
export const UuidParam = (name: string) =>
  documentedParam(name, uuidParam(name), { type: String, format: 'uuid' });

/** A path number that must be a whole number (400 otherwise), documented as an integer. */
export const IntParam = (name: string) =>
  documentedParam(name, intParam(name), { type: 'integer' });
