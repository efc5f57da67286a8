import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { toProblem } from './problem-details.js';

describe('toProblem for a database outage', () => {
  it.each([
    ['a fast shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    [
      'a pool that found no connection in time',
      new Error('timeout exceeded when trying to connect'),
    ],
    ['no answer on a stalled connection', new Error('Query read timeout')],
    [
      'a statement the server cancelled after statement_timeout',
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ],
    [
      'a lock wait the server cancelled after lock_timeout (a busy stream)',
      Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }),
    ],
    [
      'a TypeORM query failure wrapping one',
      Object.assign(new Error('QueryFailedError'), {
        driverError: Object.assign(new Error('the database system is starting up'), {
          code: '57P03',
        }),
      }),
    ],
  ])('answers %s with 503 service-unavailable and Retry-After', (_, error) => {
    const { problem, headers } = toProblem(error);
    expect(problem).toMatchObject({
      type: 'urn:egep:problem:service-unavailable',
      status: 503,
      title: 'Service unavailable',
    });
    expect(Number(headers?.['Retry-After'])).toBeGreaterThan(0);
  });

  it('still answers any other error with 500', () => {
    const { problem, headers } = toProblem(
      Object.assign(new Error('duplicate key'), { code: '23505' }),
    );
    expect(problem).toMatchObject({ type: 'urn:egep:problem:internal-error', status: 500 });
    expect(headers).toBeUndefined();
  });
});

describe('toProblem for an HttpException', () => {
  it("answers Nest's route-not-found as not-found, not as a body parser's bad-request", () => {
    const { problem } = toProblem(new NotFoundException('Cannot GET /api/v1/nope'));
    expect(problem).toEqual({
      type: 'urn:egep:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'Cannot GET /api/v1/nope',
    });
  });

  it('still maps a body-parser error by its type', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
    });
    expect(toProblem(tooLarge).problem).toMatchObject({
      type: 'urn:egep:problem:payload-too-large',
      status: 413,
    });
  });
});
