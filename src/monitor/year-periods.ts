/**
 * The periods of one calendar year as the monitor's suppression sees them, and the changes
 * per period that keep every time line (a quarter is the sum of its months, the year of its
 * quarters); see year-suppression.ts.
 */

/** Periods of a year, by index: months 0..11, quarters 12..15, the year 16. */
export const MONTHS = 12;
export const YEAR_PERIODS = 17;
export const YEAR_PERIOD = 16;
export const quarterPeriod = (quarter: number) => MONTHS + quarter;
export const quarterOf = (month: number) => Math.floor(month / 3);

/** The months (0..11) a period index spans. */
export function monthsOf(period: number): number[] {
  if (period < MONTHS) return [period];
  if (period === YEAR_PERIOD) return Array.from({ length: MONTHS }, (_, m) => m);
  const first = 3 * (period - MONTHS);
  return [first, first + 1, first + 2];
}

/** A change per period that keeps every time line: [period, +1 | -1], target first, +1. */
export type TimeMove = ReadonlyArray<readonly [number, 1 | -1]>;

function timeMoves(): TimeMove[][] {
  const moves: Array<Array<readonly [number, 1 | -1]>> = [];
  for (let m = 0; m < MONTHS; m++) {
    moves.push([
      [m, 1],
      [quarterPeriod(quarterOf(m)), 1],
      [YEAR_PERIOD, 1],
    ]);
    for (let n = m + 1; n < MONTHS; n++) {
      const [q, r] = [quarterOf(m), quarterOf(n)];
      moves.push(
        q === r
          ? [
              [m, 1],
              [n, -1],
            ]
          : [
              [m, 1],
              [quarterPeriod(q), 1],
              [n, -1],
              [quarterPeriod(r), -1],
            ],
      );
    }
  }
  // Per period, the moves through it, turned so that it moves by +1.
  return Array.from({ length: YEAR_PERIODS }, (_, t) =>
    moves
      .flatMap((move) => {
        const own = move.find(([period]) => period === t);
        if (!own) return [];
        const turned = move.map(([p, c]) => [p, (c * own[1]) as 1 | -1] as const);
        return [turned];
      })
      .sort((x, y) => x.length - y.length),
  );
}

export const TIME_MOVES = timeMoves();
