import { ParseIntPipe, ParseUUIDPipe } from '@nestjs/common';
import { validationProblem } from './problem-details.js';

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
