import { describe, expect, it } from '@jest/globals';
import { IsString } from 'class-validator';
import {
  createValidationPipe,
  fieldPath,
  MAX_NESTING,
  nestingProblem,
  tooDeeplyNested,
} from './validation.js';
import { ProblemException } from './problem-details.js';

class ReasonDto {
  @IsString()
  reason!: string;
}

const nested = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = { type: 'body' as const, metatype: ReasonDto };

  it('refuses 20 000 nested arrays with a 400 naming where, instead of overflowing', async () => {
    const error = nestingProblem({ reason: 'x', extra: nested(20_000) });
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).problem).toMatchObject({
      status: 400,
      errors: [{ field: expect.stringMatching(/^extra(\[0\])+$/) }],
    });
  });

  it('lets ordinary nesting through to the validators', async () => {
    expect(nestingProblem({ a: nested(MAX_NESTING - 2) })).toBeUndefined();
    expect(tooDeeplyNested({ a: nested(MAX_NESTING - 2) })).toBeUndefined();
    await expect(pipe.transform({ reason: 'x' }, body)).resolves.toEqual({ reason: 'x' });
  });

  it('names odd keys unambiguously', () => {
    expect(fieldPath('', 'teamId')).toBe('teamId');
    expect(fieldPath('members', '0')).toBe('members[0]');
    expect(fieldPath('', '')).toBe('[""]');
    expect(fieldPath('party', 'a.b')).toBe('party["a.b"]');
  });
});
