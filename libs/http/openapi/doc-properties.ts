import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

// Shorthands for the properties of response DTOs that recur across the API, each with a
// format and an example, so that generated clients get types and readers realistic values.

type Extra = Omit<ApiPropertyOptions, 'type' | 'format'>;

export const EXAMPLE_UUID = '3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10';
export const EXAMPLE_TIME = '2027-01-15T09:00:00.000Z';

export const IdProperty = (extra: Extra = {}) =>
  ApiProperty({
    type: String,
    format: 'uuid',
    example: EXAMPLE_UUID,
    ...extra,
  } as ApiPropertyOptions);

export const PositionProperty = () =>
  ApiProperty({
    type: String,
    example: '812-3',
    description: 'Global position of the last event; send it as X-Consistent-After',
  });

export const TimeProperty = (extra: Extra = {}) =>
  ApiProperty({
    type: String,
    format: 'date-time',
    example: EXAMPLE_TIME,
    ...extra,
  } as ApiPropertyOptions);

export const DateProperty = (extra: Extra = {}) =>
  ApiProperty({
    type: String,
    format: 'date',
    example: '2027-03-01',
    ...extra,
  } as ApiPropertyOptions);

export const TextProperty = (example: string, extra: Extra = {}) =>
  ApiProperty({ type: String, example, ...extra } as ApiPropertyOptions);

/** Absent when the viewer may not see it (privacy.md): left out, not blanked. */
export const Scoped = (extra: ApiPropertyOptions) =>
  ApiProperty({ required: false, ...extra } as ApiPropertyOptions);
