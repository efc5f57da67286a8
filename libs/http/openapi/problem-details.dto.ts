import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({
    example: 'members[0].dateOfBirth',
    description: 'The field, parameter or header, as a path into the request',
  })
  field!: string;

  @ApiProperty({ type: [String], example: ['dateOfBirth must be a date YYYY-MM-DD'] })
  messages!: string[];
}

/** RFC 9457 problem details: every error of this API (libs/http/problem-details.ts). */
@ApiSchema({ name: 'ProblemDetails' })
export class ProblemDetailsDto {
  @ApiProperty({
    example: 'urn:egep:problem:validation-error',
    description: 'The kind of problem, a URN `urn:egep:problem:<slug>`',
  })
  type!: string;

  @ApiProperty({ example: 'The request is not valid' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'dateOfBirth: dateOfBirth must be a date YYYY-MM-DD' })
  detail?: string;

  @ApiPropertyOptional({
    example: '/api/v1/families',
    description: 'The request path the problem occurred on',
  })
  instance?: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Each invalid field (400 validation errors, some 422 rule violations)',
  })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { plan: '/api/v1/families/3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10/plan' },
    description: 'A 409 conflict: links to the resource it conflicts with',
  })
  links?: Record<string, string>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'GET /health only: the checks that are down, and why',
  })
  error?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'GET /health only: every check with its status',
  })
  details?: Record<string, unknown>;
}
