import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '#libs/http/problem-details.js';
import { monitorPeriod, parsePeriod, periodOfRange } from './monitor-period.js';

const today = new Date('2026-12-03T08:00:00Z');

function refusedField(query: Parameters<typeof monitorPeriod>[0]): string[] {
  try {
    monitorPeriod(query, today);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).problem.errors!.map((e) => e.field);
  }
  throw new Error(`${JSON.stringify(query)} was accepted`);
}

describe('the periods of the policy monitor', () => {
  it.each([
    ['2026', '2026-01-01', '2026-12-31'],
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2026-Q3', '2026-07-01', '2026-09-30'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
    ['2026-02', '2026-02-01', '2026-02-28'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['2026-11', '2026-11-01', '2026-11-30'],
  ])('%s is %s to %s, and only that range is it', (period, from, to) => {
    expect(parsePeriod(period)).toEqual({ period, from, to });
    expect(periodOfRange(from, to)).toEqual({ period, from, to });
    expect(monitorPeriod({ from, to }, today)).toEqual({ period, from, to });
  });

  it.each([
    '26',
    '2026-Q0',
    '2026-Q5',
    '2026-13',
    '2026-00',
    '2026-1',
    '0999',
    '2026-W01',
    '2026-H1',
  ])('names no period with %j', (label) => {
    expect(parsePeriod(label)).toBeUndefined();
    expect(refusedField({ period: label })).toEqual(['period']);
  });

  it('defaults to the current calendar year, not a rolling window', () => {
    expect(monitorPeriod({}, today)).toEqual({
      period: '2026',
      from: '2026-01-01',
      to: '2026-12-31',
    });
  });

  it('refuses any other window, naming the field that breaks it', () => {
    // Overlapping windows: their difference would be the cases of one day.
    expect(refusedField({ from: '2025-06-02', to: '2026-06-01' })).toEqual(['from']);
    expect(refusedField({ from: '2025-06-01', to: '2026-05-31' })).toEqual(['to']);
    expect(refusedField({ from: '2026-02-01', to: '2026-04-30' })).toEqual(['to']);
    expect(refusedField({ from: '2026-01-01', to: '2026-06-30' })).toEqual(['to']);
    expect(refusedField({ from: '2026-03-01', to: '2026-03-30' })).toEqual(['to']);
    expect(refusedField({ from: '2026-05-02', to: '2026-05-01' })).toEqual(['from']);
    expect(refusedField({ from: '0000-01-01', to: '0000-12-31' })).toEqual(['from']);
    expect(refusedField({ from: '2026-01-01' })).toEqual(['to']);
    expect(refusedField({ to: '2026-12-31' })).toEqual(['from']);
    expect(refusedField({ period: '2026', from: '2026-01-01', to: '2026-12-31' })).toEqual([
      'period',
    ]);
  });
});
