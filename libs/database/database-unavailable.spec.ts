import { describe, expect, it } from '@jest/globals';
import {
  isDatabaseTimeout,
  isDatabaseUnavailable,
  isTransientDatabaseError,
  retryDelayMs,
} from './database-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', withCode('57P02')],
    ['starting up or shutting down', withCode('57P03', 'the database system is shutting down')],
    ['too many connections', withCode('53300')],
    ['connection failure', withCode('08006')],
    ['connection does not exist', withCode('08003')],
    ['refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['reset', withCode('ECONNRESET')],
    ['terminated', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['no answer on a stalled connection', new Error('Query read timeout')],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('looks into what TypeORM, causes and AggregateErrors wrap', () => {
    const queryFailed = Object.assign(new Error('QueryFailedError'), {
      driverError: withCode('57P01'),
    });
    expect(isDatabaseUnavailable(queryFailed)).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('batch failed', { cause: withCode('ECONNRESET') })),
    ).toBe(true);
    expect(
      isDatabaseUnavailable(
        new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
      ),
    ).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a syntax error', withCode('42601')],
    ['a wrong expected version', withCode('EV409')],
    ['a cancelled statement', withCode('57014', 'canceling statement due to statement timeout')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('does not loop on an error that is its own cause', () => {
    const error = new Error('odd') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isDatabaseTimeout', () => {
  const statementTimeout = withCode('57014', 'canceling statement due to statement timeout');
  const lockTimeout = withCode('55P03', 'canceling statement due to lock timeout');

  it.each([
    ['a statement timeout', statementTimeout],
    ['a lock timeout', lockTimeout],
    [
      'an idle transaction ended',
      withCode('25P03', 'terminating connection due to idle-in-transaction timeout'),
    ],
    [
      'a timeout TypeORM wraps',
      Object.assign(new Error('QueryFailedError'), { driverError: lockTimeout }),
    ],
  ])('is true for %s, which the server rolled back', (_, error) => {
    expect(isDatabaseTimeout(error)).toBe(true);
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    [
      'a statement cancelled on purpose',
      withCode('57014', 'canceling statement due to user request'),
    ],
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a lost connection', withCode('ECONNRESET')],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseTimeout(error)).toBe(false);
  });

  it('leaves a cancel on purpose, and a real error, to be errors', () => {
    expect(
      isTransientDatabaseError(withCode('57014', 'canceling statement due to user request')),
    ).toBe(false);
    expect(isTransientDatabaseError(withCode('42601'))).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => retryDelayMs(n, 250, 5000))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});
