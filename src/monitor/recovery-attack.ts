/**
 * The attack on a published table, written independently of suppression.ts so that the tests
 * can check one against the other: a reader takes every published number, knows that cells add
 * up to their totals, and searches for the values of the withheld numbers (brute force with
 * pruning) that agree with all of it. A withheld number for which exactly one value agrees is
 * recovered.
 *
 * Only the tests use this; it never sees a request.
 */

export interface PublishedTable {
  /**
   * null: withheld. undefined: no such cell (a wijk outside a stadsdeel, say): empty by the
   * structure of the table, not by anything published.
   */
  readonly cells: ReadonlyArray<ReadonlyArray<number | null | undefined>>;
  /** Present for a cross-table, whose cells add up to these row totals. */
  readonly rowTotals?: ReadonlyArray<number | null>;
  readonly columnTotals: ReadonlyArray<number | null>;
  /** The sum of the row totals and of the column totals (cross-tables only). */
  readonly grandTotal?: number | null;
}

/** A withheld number: 'cell r,c', 'row r', 'column c' or 'grand'. */
export type Unknown = string;

interface Equation {
  /** Published numbers moved to the right-hand side: sum(coefficient * unknown) = constant. */
  readonly constant: number;
  /** Whether a published number is in it (else it says only how unknowns relate). */
  readonly informed: boolean;
  readonly terms: ReadonlyArray<{ unknown: number; coefficient: 1 | -1 }>;
}

export interface System {
  readonly unknowns: Unknown[];
  readonly equations: Equation[];
}

/** A line over named numbers: total = sum(parts). */
export interface NamedLine {
  readonly total: Unknown;
  readonly parts: readonly Unknown[];
}

/**
 * The system of any table given as lines, with its published numbers (null: withheld). A
 * structural number counts in its line but does not make the line informed.
 */
export function systemOfLines(
  lines: readonly NamedLine[],
  published: ReadonlyMap<Unknown, number | null>,
  /** Published numbers known by the structure of the table (zeros of an empty group). */
  structural: ReadonlySet<Unknown> = new Set(),
): System {
  const unknowns: Unknown[] = [];
  const index = new Map<Unknown, number>();
  const equations: Equation[] = lines.map(({ total, parts }) => {
    let constant = 0;
    let informed = false;
    const terms: Array<{ unknown: number; coefficient: 1 | -1 }> = [];
    for (const [name, coefficient] of [
      [total, -1] as const,
      ...parts.map((part) => [part, 1] as const),
    ]) {
      const value = published.get(name);
      if (value === undefined) throw new Error(`Nothing published about ${name}`);
      if (value !== null) {
        constant -= coefficient * value;
        if (!structural.has(name)) informed = true;
        continue;
      }
      if (!index.has(name)) {
        index.set(name, unknowns.length);
        unknowns.push(name);
      }
      terms.push({ unknown: index.get(name)!, coefficient });
    }
    return { constant, informed, terms };
  });
  return { unknowns, equations };
}

function systemOf(table: PublishedTable): System {
  const unknowns: Unknown[] = [];
  const equations: Equation[] = [];
  const index = new Map<Unknown, number>();
  const term = (name: Unknown, value: number | null | undefined) => {
    if (value !== null && value !== undefined) return { known: value };
    if (!index.has(name)) {
      index.set(name, unknowns.length);
      unknowns.push(name);
    }
    return { unknown: index.get(name)! };
  };
  /** total = sum(parts), as an equation over the unknowns among them. */
  const equation = (
    total: { known: number } | { unknown: number },
    parts: Array<{ known: number } | { unknown: number }>,
  ) => {
    let constant = 0;
    const terms: Array<{ unknown: number; coefficient: 1 | -1 }> = [];
    for (const part of parts) {
      if ('known' in part) constant -= part.known;
      else terms.push({ unknown: part.unknown, coefficient: 1 });
    }
    if ('known' in total) constant += total.known;
    else terms.push({ unknown: total.unknown, coefficient: -1 });
    const informed = 'known' in total || parts.some((part) => 'known' in part);
    equations.push({ constant, terms, informed });
  };
  const rows = table.cells.length;
  const columns = table.columnTotals.length;
  const cell = (r: number, c: number) => term(`cell ${r},${c}`, table.cells[r][c]);
  const existing = (r: number, c: number) => table.cells[r][c] !== undefined;
  if (table.rowTotals) {
    for (let r = 0; r < rows; r++) {
      equation(
        term(`row ${r}`, table.rowTotals[r]),
        Array.from({ length: columns }, (_, c) => c).flatMap((c) =>
          existing(r, c) ? [cell(r, c)] : [],
        ),
      );
    }
  }
  for (let c = 0; c < columns; c++) {
    equation(
      term(`column ${c}`, table.columnTotals[c]),
      Array.from({ length: rows }, (_, r) => r).flatMap((r) =>
        existing(r, c) ? [cell(r, c)] : [],
      ),
    );
  }
  if (table.rowTotals && table.grandTotal !== undefined) {
    const grand = term('grand', table.grandTotal);
    const rowTotals = table.rowTotals;
    equation(
      grand,
      rowTotals.map((value, r) => term(`row ${r}`, value)),
    );
    equation(
      grand,
      table.columnTotals.map((value, c) => term(`column ${c}`, value)),
    );
  }
  return { unknowns, equations };
}

const asSystem = (table: PublishedTable | System): System =>
  'equations' in table ? table : systemOf(table);

/**
 * The withheld numbers that share an equation, directly or through others, with a published
 * number. Of the others a reader knows only how they relate to each other: whatever they
 * conclude comes from what they assume, not from what is published.
 */
export function informedUnknowns(table: PublishedTable | System): Set<Unknown> {
  const { unknowns, equations } = asSystem(table);
  const informed = new Set<Unknown>();
  for (const part of connectedUnknowns(table)) {
    const members = new Set(part.map((name) => unknowns.indexOf(name)));
    const touches = equations.some(
      (e) => e.informed && e.terms.some((t) => members.has(t.unknown)),
    );
    if (touches) for (const name of part) informed.add(name);
  }
  return informed;
}

/** The withheld numbers in groups that share no equation: a reader can solve each apart. */
export function connectedUnknowns(table: PublishedTable | System): Unknown[][] {
  const { unknowns, equations } = asSystem(table);
  const group = unknowns.map((_, i) => i);
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i])));
  for (const { terms } of equations) {
    for (const t of terms.slice(1)) group[find(t.unknown)] = find(terms[0].unknown);
  }
  const groups = new Map<number, Unknown[]>();
  unknowns.forEach((name, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), name]);
  });
  return [...groups.values()];
}

/**
 * Narrows every unknown's interval from every equation until nothing changes (bounds
 * propagation). false: no assignment within the intervals satisfies the equations.
 */
function propagate(lo: number[], hi: number[], equations: readonly Equation[]): boolean {
  for (let changed = true; changed;) {
    changed = false;
    for (const { constant, terms } of equations) {
      let min = 0;
      let max = 0;
      for (const { unknown, coefficient } of terms) {
        min += coefficient === 1 ? lo[unknown] : -hi[unknown];
        max += coefficient === 1 ? hi[unknown] : -lo[unknown];
      }
      if (min > constant || max < constant) return false;
      for (const { unknown, coefficient } of terms) {
        const ownMin = coefficient === 1 ? lo[unknown] : -hi[unknown];
        const ownMax = coefficient === 1 ? hi[unknown] : -lo[unknown];
        // coefficient * x = constant - (the others), the others within [min - own, max - own].
        const low = constant - (max - ownMax);
        const high = constant - (min - ownMin);
        const [from, to] = coefficient === 1 ? [low, high] : [-high, -low];
        if (from > lo[unknown]) {
          lo[unknown] = from;
          changed = true;
        }
        if (to < hi[unknown]) {
          hi[unknown] = to;
          changed = true;
        }
        if (lo[unknown] > hi[unknown]) return false;
      }
    }
  }
  return true;
}

/**
 * For every withheld number, up to `enough` values (in increasing order) that agree with the
 * published table when every withheld number x lies within bounds(x) (finite; the reader's
 * assumption). One value only: recovered. Exhaustive search with bounds propagation.
 */
export function consistentValues(
  table: PublishedTable | System,
  bounds: (unknown: Unknown) => readonly [number, number],
  enough = 2,
  maxSteps = 5_000_000,
): Map<Unknown, number[]> {
  const { unknowns, equations } = asSystem(table);
  let steps = 0;

  /** Is there an assignment of `part` within [lo, hi] satisfying `own`? */
  const solvable = (lo: number[], hi: number[], part: number[], own: Equation[]): boolean => {
    if (++steps > maxSteps) throw new Error('The search is too large for this table');
    if (!propagate(lo, hi, own)) return false;
    let branch = -1;
    for (const u of part) {
      if (lo[u] < hi[u] && (branch < 0 || hi[u] - lo[u] < hi[branch] - lo[branch])) branch = u;
    }
    if (branch < 0) return true; // every unknown fixed, and propagation found no conflict
    for (let v = lo[branch]; v <= hi[branch]; v++) {
      const [l, h] = [[...lo], [...hi]];
      l[branch] = v;
      h[branch] = v;
      if (solvable(l, h, part, own)) return true;
    }
    return false;
  };

  const index = new Map(unknowns.map((name, i) => [name, i]));
  const result = new Map<Unknown, number[]>();
  // A reader solves each group of unknowns that share equations on its own.
  for (const names of connectedUnknowns(table)) {
    const part = names.map((name) => index.get(name)!);
    const own = equations.filter((e) => e.terms.some((t) => part.includes(t.unknown)));
    const lo = unknowns.map((u) => bounds(u)[0]);
    const hi = unknowns.map((u) => bounds(u)[1]);
    const feasible = propagate(lo, hi, own);
    for (const target of part) {
      const found: number[] = [];
      for (let v = lo[target]; feasible && v <= hi[target] && found.length < enough; v++) {
        const [l, h] = [[...lo], [...hi]];
        l[target] = v;
        h[target] = v;
        if (solvable(l, h, part, own)) found.push(v);
      }
      result.set(unknowns[target], found);
    }
  }
  return result;
}

/** The true value of every number of a table of counts, by the names of `Unknown`. */
export function truthOf(cells: ReadonlyArray<ReadonlyArray<number>>): Map<Unknown, number> {
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const truth = new Map<Unknown, number>();
  cells.forEach((row, r) => row.forEach((v, c) => truth.set(`cell ${r},${c}`, v)));
  cells.forEach((row, r) => truth.set(`row ${r}`, sum(row)));
  (cells[0] ?? []).forEach((_, c) => truth.set(`column ${c}`, sum(cells.map((row) => row[c]))));
  truth.set('grand', sum(cells.map(sum)));
  return truth;
}

export interface Recovered {
  readonly unknown: Unknown;
  readonly reader: string;
  readonly value: number;
}

export interface AttackOptions {
  /** Where a group's size is, to find groups that look small (a row all null). */
  readonly groupSize?: 'rowTotal' | number;
  /** Unknowns a reader takes to be small, instead of those found through `groupSize`. */
  readonly looksSmall?: ReadonlySet<Unknown>;
  /** The largest small count (4 unless told). */
  readonly small?: number;
  /** Which unknowns are secrets (default: all); others may be pinned without harm. */
  readonly matters?: (unknown: Unknown, truth: number) => boolean;
}

/**
 * The attack: for several readers (what each assumes of the withheld numbers), every withheld
 * number that the published table pins down to one value. A reader's assumption counts per
 * group of withheld numbers that share a line, and only where it holds for the true table: a
 * reader who assumes something false learns nothing reliable. A group that shares no line with
 * a published number is not judged: nothing published tells anything about it.
 *
 * Readers: any count; not zero (zeros are published); small (0..small); small and not zero;
 * and "a group whose row is all null is small" (its case count 0..small).
 */
export function recoverWithheld(
  published: PublishedTable,
  truth: ReadonlyMap<Unknown, number>,
  options: AttackOptions = {},
): Recovered[] {
  const looksSmall =
    options.looksSmall ??
    new Set(
      published.cells.flatMap((row, r) => {
        const allNull =
          row.every((v) => v === null) && (!published.rowTotals || published.rowTotals[r] === null);
        if (!allNull || options.groupSize === undefined) return [];
        return [options.groupSize === 'rowTotal' ? `row ${r}` : `cell ${r},${options.groupSize}`];
      }),
    );
  return recoverFrom(systemOf(published), truth, { ...options, looksSmall });
}

/** The attack of `recoverWithheld` on any system of lines. */
export function recoverFrom(
  system: System,
  truth: ReadonlyMap<Unknown, number>,
  options: AttackOptions = {},
): Recovered[] {
  const small = options.small ?? 4;
  const cap = Math.max(0, ...truth.values()) + 1;
  const looksSmall = options.looksSmall ?? new Set<Unknown>();
  const readers: Record<string, (u: Unknown) => readonly [number, number]> = {
    'any count': () => [0, cap],
    'not zero (zeros are published)': () => [1, cap],
    [`small (0..${small})`]: () => [0, small],
    [`small (1..${small})`]: () => [1, small],
    'a group whose row is all null is small': (u) => (looksSmall.has(u) ? [0, small] : [0, cap]),
  };
  const matters = options.matters ?? (() => true);
  const parts = connectedUnknowns(system);
  const informed = informedUnknowns(system);
  const recovered: Recovered[] = [];
  for (const [reader, bounds] of Object.entries(readers)) {
    const values = consistentValues(system, bounds);
    for (const part of parts) {
      // Pinned by the reader's assumption alone, with nothing published about it: not recovered
      // from the publication (withholding everything would not change it).
      if (!part.some((u) => informed.has(u))) continue;
      const holds = part.every((u) => {
        const [lo, hi] = bounds(u);
        const value = truth.get(u);
        if (value === undefined) throw new Error(`No true value for ${u}`);
        return value >= lo && value <= hi;
      });
      if (!holds) continue;
      for (const unknown of part) {
        const found = values.get(unknown)!;
        if (found.length === 1 && matters(unknown, truth.get(unknown)!)) {
          recovered.push({ unknown, reader, value: found[0] });
        }
      }
    }
  }
  return recovered;
}

/**
 * The attack on two linked groupings of the same population read together (the monitor per
 * wijk and per stadsdeel): per measure, a cross-table of the groups of a (rows) and of b
 * (columns) whose cells, the families of one a in one b, are never published, with the
 * published figures of a as row totals, of b as column totals, and the overall total.
 * A cell matters only when it is itself a small count; every withheld figure matters.
 */
export function recoverLinked(
  truth: ReadonlyArray<{
    readonly a: string;
    readonly b: string;
    readonly counts: readonly number[];
  }>,
  published: {
    readonly a: ReadonlyMap<string, ReadonlyArray<number | null>>;
    readonly b: ReadonlyMap<string, ReadonlyArray<number | null>>;
    readonly totals: ReadonlyArray<number | null>;
  },
  groupSize: number,
  small = 4,
): Array<Recovered & { readonly measure: number }> {
  const aNames = [...published.a.keys()];
  const bNames = [...published.b.keys()];
  const partOf = (a: string, b: string) => truth.find((part) => part.a === a && part.b === b);
  for (const part of truth) {
    if (!published.a.has(part.a) || !published.b.has(part.b)) {
      throw new Error(`The published groupings miss ${part.a} / ${part.b}`);
    }
  }
  const allNull = (figures: ReadonlyArray<number | null>) => figures.every((v) => v === null);
  const recovered: Array<Recovered & { measure: number }> = [];
  for (let m = 0; m < published.totals.length; m++) {
    const cells = aNames.map((a) => bNames.map((b) => (partOf(a, b) ? null : undefined)));
    const trueCells = aNames.map((a) => bNames.map((b) => partOf(a, b)?.counts[m] ?? 0));
    const looksSmall = new Set<Unknown>();
    if (m === groupSize) {
      aNames.forEach((a, i) => {
        if (!allNull(published.a.get(a)!)) return;
        looksSmall.add(`row ${i}`);
        bNames.forEach((b, j) => partOf(a, b) && looksSmall.add(`cell ${i},${j}`));
      });
      bNames.forEach((b, j) => {
        if (!allNull(published.b.get(b)!)) return;
        looksSmall.add(`column ${j}`);
        aNames.forEach((a, i) => partOf(a, b) && looksSmall.add(`cell ${i},${j}`));
      });
    }
    const table: PublishedTable = {
      cells,
      rowTotals: aNames.map((a) => published.a.get(a)![m]),
      columnTotals: bNames.map((b) => published.b.get(b)![m]),
      grandTotal: published.totals[m],
    };
    const found = recoverWithheld(table, truthOf(trueCells), {
      looksSmall,
      small,
      matters: (u, value) => !u.startsWith('cell ') || (value >= 1 && value <= small),
    });
    recovered.push(...found.map((r) => ({ ...r, measure: m })));
  }
  return recovered;
}
