import { ParseUUIDPipe } from '@nestjs/common';
import { validationProblem } from './problem-details.js';

/** A path id that is not a UUID is a 400 naming the parameter, before any lookup happens. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => validationProblem([{ field: name, messages: ['must be a UUID'] }]),
  });
}
