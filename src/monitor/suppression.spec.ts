import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  consistentValues,
  recoverLinked,
  recoverWithheld,
  truthOf,
  type PublishedTable,
} from './recovery-attack.js';
import { suppress, suppressLinked, type CountTable, type Suppression } from './suppression.js';

const SMALL = 4;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const hides = (value: number | null | undefined) => value === null;

/** What a reader sees: the table with withheld numbers as null. */
function publish(table: CountTable, s: Suppression): PublishedTable {
  const columns = table.cells[0]?.length ?? 0;
  const columnTotals = Array.from({ length: columns }, (_, c) =>
    s.columnTotals[c] ? null : sum(table.cells.map((row) => row[c])),
  );
  const cells = table.cells.map((row, r) => row.map((v, c) => (s.cells[r][c] ? null : v)));
  if (!table.rowTotals) return { cells, columnTotals };
  return {
    cells,
    columnTotals,
    rowTotals: table.cells.map((row, r) => (s.rowTotals[r] ? null : sum(row))),
    grandTotal: s.grandTotal ? null : sum(table.cells.map(sum)),
  };
}

/** Every line of the published table: its total and its parts. */
function linesOf(
  p: PublishedTable,
): Array<{ name: string; members: Array<number | null | undefined> }> {
  const lines = p.columnTotals.map((total, c) => ({
    name: `column ${c}`,
    members: [total, ...p.cells.map((row) => row[c])],
  }));
  if (p.rowTotals) {
    p.rowTotals.forEach((total, r) =>
      lines.push({ name: `row ${r}`, members: [total, ...p.cells[r]] }),
    );
    lines.push({ name: 'row totals', members: [p.grandTotal ?? null, ...p.rowTotals] });
    lines.push({ name: 'column totals', members: [p.grandTotal ?? null, ...p.columnTotals] });
  }
  return lines;
}

function publishedNumbers(p: PublishedTable): number[] {
  return [
    ...p.cells.flat(),
    ...p.columnTotals,
    ...(p.rowTotals ?? []),
    ...(p.grandTotal === undefined ? [] : [p.grandTotal]),
  ].filter((v): v is number => v !== null);
}

/** The attack of recovery-attack.ts on what `suppress` publishes. */
function attack(table: CountTable, p: PublishedTable) {
  return recoverWithheld(p, truthOf(table.cells), { groupSize: table.groupSize, small: SMALL });
}

const count = (max: number) =>
  fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max }), fc.constant(0));

function tables(maxRows: number, maxColumns: number, maxCount: number) {
  return fc
    .tuple(
      fc.integer({ min: 1, max: maxRows }),
      fc.integer({ min: 1, max: maxColumns }),
      fc.boolean(),
    )
    .chain(([rows, columns, cross]) =>
      fc
        .array(fc.array(count(maxCount), { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        })
        .map((cells): CountTable =>
          cross
            ? { cells, rowTotals: true, groupSize: 'rowTotal' }
            : { cells, rowTotals: false, groupSize: 0 },
        ),
    );
}

/** A monitor-shaped table: cases, agreed plans, escalations per level. */
const monitor = (cells: number[][]): CountTable => ({ cells, rowTotals: false, groupSize: 0 });
const cross = (cells: number[][]): CountTable => ({
  cells,
  rowTotals: true,
  groupSize: 'rowTotal',
});

describe('small-cell suppression', () => {
  it('publishes a table without small counts untouched, zeros included', () => {
    const table = cross([
      [12, 0, 7],
      [9, 15, 0],
    ]);
    const s = suppress(table);
    expect(s.cells.flat().some(Boolean)).toBe(false);
    expect(s.rowTotals.some(Boolean) || s.columnTotals.some(Boolean) || s.grandTotal).toBe(false);
  });

  it('hides one small cell of a cross-table with a rectangle of the smallest cells', () => {
    const table = cross([
      [20, 3, 30],
      [25, 11, 40],
      [22, 8, 35],
    ]);
    const s = suppress(table);
    // The 3, the smallest other cell of its row (20) and of its column (8), and the cell that
    // closes the rectangle (22): each of them moves when the others do.
    expect(s.cells).toEqual([
      [true, true, false],
      [false, false, false],
      [true, true, false],
    ]);
    expect(s.rowTotals.some(Boolean) || s.columnTotals.some(Boolean) || s.grandTotal).toBe(false);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('hides every count of a group with fewer than 5 cases, and one more group count', () => {
    // Columns: active cases, plans agreed, escalations level 0, 1, 2.
    const table = monitor([
      [3, 2, 1, 0, 0],
      [12, 9, 6, 5, 7],
      [8, 6, 5, 6, 9],
      [30, 20, 11, 9, 12],
    ]);
    const s = suppress(table);
    expect(s.smallGroups).toEqual([true, false, false, false]);
    expect(s.cells[0]).toEqual([true, true, true, true, true]);
    // The column totals must not give the small group away: in every column the cheapest other
    // cell is hidden too.
    for (let c = 0; c < 5; c++) {
      expect(s.cells.filter((row) => row[c]).length).toBeGreaterThanOrEqual(2);
    }
    expect(s.cells[2][0]).toBe(true); // 8 active cases: the smallest other group
    expect(s.columnTotals.some(Boolean)).toBe(false);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('treats a group with no cases as a small group', () => {
    const s = suppress(
      monitor([
        [0, 6, 7],
        [9, 8, 7],
        [10, 9, 8],
      ]),
    );
    expect(s.smallGroups).toEqual([true, false, false]);
    expect(s.cells[0]).toEqual([true, true, true]);
  });

  it('does not let two hidden ones be solved by a reader who knows hidden counts are 1..4', () => {
    // The column has two primary 1s: total - published = 2, and with values 1..4 only 1 + 1
    // fits. A third cell is hidden.
    const table = monitor([
      [20, 1],
      [25, 1],
      [30, 12],
      [40, 9],
    ]);
    const s = suppress(table);
    expect(s.cells.filter((row) => row[1]).length).toBeGreaterThanOrEqual(3);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('does not let hidden zeros be solved from a column whose hidden cells add up to 0', () => {
    // Two small groups with no level-2 escalations: total - published = 0 gives both away.
    const table = monitor([
      [2, 0],
      [3, 0],
      [10, 7],
      [20, 9],
    ]);
    const s = suppress(table);
    expect(s.cells[2][1] || s.cells[3][1] || s.columnTotals[1]).toBe(true);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('hides another row total when one group is too small, so the grand total does not tell', () => {
    const table = cross([
      [2, 1],
      [6, 7],
      [8, 9],
    ]);
    const s = suppress(table);
    expect(s.rowTotals[0]).toBe(true);
    expect(s.rowTotals.filter(Boolean).length >= 2 || s.grandTotal).toBe(true);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('hides the total of a column that is itself a small count', () => {
    const table = monitor([
      [10, 2],
      [12, 0],
      [14, 0],
    ]);
    const s = suppress(table);
    expect(s.columnTotals[1]).toBe(true);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('protects a table of one group', () => {
    const table = monitor([[7, 3, 0]]);
    const s = suppress(table);
    expect(s.cells[0][1] && s.columnTotals[1]).toBe(true);
    expect(attack(table, publish(table, s))).toEqual([]);
  });

  it('is deterministic and leaves its input alone', () => {
    const cells = [
      [4, 9, 12],
      [7, 2, 30],
    ];
    const copy = structuredClone(cells);
    expect(suppress(cross(cells))).toEqual(suppress(cross(cells)));
    expect(cells).toEqual(copy);
  });

  it('refuses what is not a table of counts', () => {
    expect(() => suppress(monitor([[1, -1]]))).toThrow(RangeError);
    expect(() => suppress(monitor([[1.5]]))).toThrow(RangeError);
    expect(() => suppress(monitor([[1, 2], [3]]))).toThrow(RangeError);
    expect(() => suppress({ cells: [[1]], rowTotals: false, groupSize: 'rowTotal' })).toThrow(
      RangeError,
    );
    expect(() => suppress({ cells: [[1]], rowTotals: false, groupSize: 3 })).toThrow(RangeError);
  });

  it('returns an empty answer for an empty table', () => {
    expect(suppress(monitor([]))).toEqual({
      cells: [],
      rowTotals: [],
      columnTotals: [],
      grandTotal: false,
      smallGroups: [],
    });
  });

  describe('on random tables (groups x counts 0..30)', () => {
    it('publishes no count 1..4, leaves no line with one hidden number, shows nothing of a small group', () => {
      fc.assert(
        fc.property(tables(8, 5, 30), (table) => {
          const s = suppress(table);
          const p = publish(table, s);
          // (a) no published count is 1..4, totals included.
          expect(publishedNumbers(p).filter((v) => v >= 1 && v <= SMALL)).toEqual([]);
          // (b) no line (a row or column with its total, or the totals with the grand total)
          // has exactly one hidden number: the total minus the published parts never equals
          // a single hidden cell, and a hidden total is never the sum of published parts.
          const giveaways = linesOf(p).filter((line) => line.members.filter(hides).length === 1);
          expect(giveaways.map((line) => line.name)).toEqual([]);
          // (c) a group with fewer than 5 cases publishes no count.
          table.cells.forEach((row, r) => {
            const cases = table.groupSize === 'rowTotal' ? sum(row) : row[table.groupSize];
            if (cases < 5) {
              expect(p.cells[r].every(hides)).toBe(true);
              if (p.rowTotals) expect(p.rowTotals[r]).toBeNull();
            }
          });
        }),
        { numRuns: 400 },
      );
    });

    it('withstands the attack: no hidden count is recoverable from the published totals', () => {
      fc.assert(
        fc.property(tables(4, 3, 12), (table) => {
          const p = publish(table, suppress(table));
          expect(attack(table, p)).toEqual([]);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('suppression of two linked groupings (wijk and stadsdeel)', () => {
  // Cases per wijk: Centrum 9, Stedenwijk 4, Muziekwijk 11 in Almere Stad; Haven 20 alone.
  const parts = [
    { a: 'Centrum', b: 'Almere Stad', counts: [9] },
    { a: 'Stedenwijk', b: 'Almere Stad', counts: [4] },
    { a: 'Muziekwijk', b: 'Almere Stad', counts: [11] },
    { a: 'Haven', b: 'Almere Haven', counts: [20] },
  ];

  it('withholds another wijk or the stadsdeel, so that Stad - Centrum - Muziekwijk fails', () => {
    const s = suppressLinked({ parts, measures: 1, groupSize: 0 });
    expect(s.smallA).toEqual(new Set(['Stedenwijk']));
    expect(s.a.get('Stedenwijk')).toEqual([true]);
    const published = {
      a: new Map(
        [...s.a].map(([name, [hidden]]) => {
          const value = parts.find((p) => p.a === name)!.counts[0];
          return [name, [hidden ? null : value]];
        }),
      ),
      b: new Map(
        [...s.b].map(([name, [hidden]]) => {
          const value = parts.filter((p) => p.b === name).reduce((t, p) => t + p.counts[0], 0);
          return [name, [hidden ? null : value]];
        }),
      ),
      totals: [s.totals[0] ? null : 44],
    };
    expect(recoverLinked(parts, published, 0)).toEqual([]);
    // Stad - Centrum - Muziekwijk must not give Stedenwijk away: one of them is withheld too.
    const withheld = [
      published.a.get('Centrum')![0],
      published.a.get('Muziekwijk')![0],
      published.b.get('Almere Stad')![0],
    ].filter((v) => v === null);
    expect(withheld.length).toBeGreaterThan(0);
  });

  it('refuses parts that do not match the measures', () => {
    expect(() => suppressLinked({ parts, measures: 2, groupSize: 0 })).toThrow(RangeError);
    expect(() => suppressLinked({ parts, measures: 1, groupSize: 1 })).toThrow(RangeError);
  });
});

describe('the attack itself', () => {
  it('recovers a single hidden cell of a line from its total', () => {
    const p: PublishedTable = { cells: [[10], [null], [12]], columnTotals: [25] };
    expect(consistentValues(p, () => [0, 30]).get('cell 1,0')).toEqual([3]);
  });

  it('recovers 1 + 1 for a reader who assumes hidden counts are 1..4', () => {
    const p: PublishedTable = { cells: [[null], [null], [12]], columnTotals: [14] };
    expect(consistentValues(p, () => [1, 4]).get('cell 0,0')).toEqual([1]);
    expect(consistentValues(p, () => [0, 30]).get('cell 0,0')).toEqual([0, 1]);
  });

  it('bounds, but does not pin, a cell on a hidden rectangle with a zero corner', () => {
    // [a, 8-a; 9-a, a-3]: the zero corner says a >= 3, the totals say a <= 8.
    const table = cross([
      [3, 5],
      [6, 0],
    ]);
    const p: PublishedTable = {
      cells: [
        [null, null],
        [null, null],
      ],
      rowTotals: [8, 6],
      columnTotals: [9, 5],
      grandTotal: 14,
    };
    const values = consistentValues(p, () => [0, 20]);
    expect(values.get('cell 0,0')).toEqual([3, 4]);
    expect(truthOf(table.cells).get('cell 0,0')).toBe(3);
  });
});
