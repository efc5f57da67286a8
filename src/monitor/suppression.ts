/**
 * Small-cell suppression for tables of counts (statistical disclosure control). Pure: no I/O,
 * no clock, deterministic for a given table.
 *
 * A table is seen as a set of numbers (cells, totals) tied together by "lines": each line says
 * that a total is the sum of its parts. A reader who knows every published number and every
 * line, and that counts are non-negative integers, must not be able to work out a withheld
 * count.
 *
 * 1. Primary suppression: every count 1 .. threshold-1 is withheld, totals included. 0 is
 *    published: an empty cell describes nobody.
 * 2. Small groups: a group (row) with fewer than `threshold` cases, 0 included, has all of its
 *    counts withheld.
 * 3. Secondary suppression, until stable:
 *    a. line rule: a line with exactly one withheld member (a part or its total) gives it away
 *       by subtraction, so another member of that line is withheld, the cheapest first
 *       (cells before totals, small before large);
 *    b. audit: for every withheld number, it is checked exactly whether the published numbers
 *       and the lines pin it down (see `pinnedUnder`), also for a reader who assumes that
 *       withheld numbers are non-zero or small (1 .. threshold-1, as primary cells are), or
 *       that a group whose row is all withheld is small. A reader's assumption is only judged
 *       where it holds for the true table. A number that is pinned down gets another number of
 *       its lines withheld: the cheapest that frees it.
 *
 * A part of the table whose lines contain no published number at all (everything withheld)
 * is not audited: a reader knows of it only what they assume, whatever is published.
 *
 * Two groupings of the same population (wijk and stadsdeel) are linked: a stadsdeel is the sum
 * of its wijken. `suppressLinked` protects both at once, as a cross-table of the two groupings
 * whose inner cells (the families of one wijk in one stadsdeel) are never published.
 */

export const MIN_PUBLISHED_COUNT = 5;

export interface CountTable {
  /** cells[r][c]: a non-negative integer count; every row has the same length. */
  readonly cells: ReadonlyArray<ReadonlyArray<number>>;
  /**
   * true: each row's cells add up to a published row total, and the row totals (like the
   * column totals) add up to a published grand total: a cross-table (cases by level, say).
   * false: the columns are different measures of the group (the policy monitor); the only
   * totals are the column totals, and nothing is summed across a row.
   */
  readonly rowTotals: boolean;
  /**
   * Where a group's own number of cases is: its row total, or the column with that index. A
   * group with fewer than `threshold` cases publishes no count at all.
   */
  readonly groupSize: 'rowTotal' | number;
  /** The smallest count that may be published (5 unless told). */
  readonly threshold?: number;
}

export interface Suppression {
  /** cells[r][c]: true when the cell is withheld. */
  readonly cells: boolean[][];
  /** Per row: true when its total is withheld (always false without row totals). */
  readonly rowTotals: boolean[];
  readonly columnTotals: boolean[];
  /** Always false without row totals (there is no grand total then). */
  readonly grandTotal: boolean;
  /** Per row: the group has fewer than `threshold` cases, so every count of it is withheld. */
  readonly smallGroups: boolean[];
}

/**
 * The same measures of one population under two groupings, a (wijk) and b (stadsdeel), given
 * by their finest parts: every combination of an a and a b that occurs, with its counts. A
 * group's figure is the sum of its parts; the parts themselves are never published.
 */
export interface LinkedGroupings {
  readonly parts: ReadonlyArray<{
    readonly a: string;
    readonly b: string;
    /** One count per measure; every part has the same number of measures. */
    readonly counts: readonly number[];
  }>;
  readonly measures: number;
  /** The measure that is a group's own number of cases. */
  readonly groupSize: number;
  readonly threshold?: number;
}

export interface LinkedSuppression {
  /** Per group of grouping a, per measure: true when withheld. */
  readonly a: ReadonlyMap<string, boolean[]>;
  readonly b: ReadonlyMap<string, boolean[]>;
  /** Per measure: the total over everybody (the same under both groupings) is withheld. */
  readonly totals: boolean[];
  /** Groups with fewer than `threshold` cases: every count of them is withheld. */
  readonly smallA: ReadonlySet<string>;
  readonly smallB: ReadonlySet<string>;
}

interface Variable {
  readonly value: number;
  /** Information lost by withholding it: cells < subtotals < the grand total. */
  readonly tier: number;
  /** false: never published (a part of two linked groupings), so never chosen to withhold. */
  readonly publishable: boolean;
  /** Lines it belongs to, with its coefficient there: +1 as a part, -1 as the total. */
  readonly lines: Array<{ line: number; coefficient: 1 | -1 }>;
}

interface Line {
  readonly total: number;
  readonly parts: readonly number[];
}

interface Group {
  /** The group's numbers: withheld together when the group is small. */
  readonly members: readonly number[];
  /** The number that is the group's own number of cases. */
  readonly size: number;
  /** The numbers that cannot exceed the group's size (a reader may bound them by it). */
  readonly boundedBySize: readonly number[];
}

/** The table as variables, lines and groups; see the file comment. Shared with year-suppression.ts. */
export class TableModel {
  readonly variables: Variable[] = [];
  readonly lines: Line[] = [];
  readonly groups: Group[] = [];

  variable(value: number, tier: number, publishable = true): number {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`A count must be a non-negative integer, not ${value}`);
    }
    this.variables.push({ value, tier, publishable, lines: [] });
    return this.variables.length - 1;
  }

  line(total: number, parts: readonly number[]): void {
    const line = this.lines.length;
    this.lines.push({ total, parts });
    this.variables[total].lines.push({ line, coefficient: -1 });
    for (const part of parts) this.variables[part].lines.push({ line, coefficient: 1 });
  }

  group(members: number[], size: number, boundedBySize: number[]): void {
    this.groups.push({ members, size, boundedBySize });
  }

  membersOf(line: number): number[] {
    return [this.lines[line].total, ...this.lines[line].parts];
  }
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function crossTableModel(table: CountTable) {
  const rows = table.cells.length;
  const columns = rows === 0 ? 0 : table.cells[0].length;
  for (const row of table.cells) {
    if (row.length !== columns) throw new RangeError('Every row needs the same number of cells');
  }
  if (typeof table.groupSize === 'number') {
    const valid =
      Number.isInteger(table.groupSize) && table.groupSize >= 0 && table.groupSize < columns;
    if (!valid && rows > 0) throw new RangeError('groupSize names no column');
  } else if (!table.rowTotals) {
    throw new RangeError("groupSize 'rowTotal' needs a table with row totals");
  }
  const model = new TableModel();
  const cells = table.cells.map((row) => row.map((value) => model.variable(value, 0)));
  const rowTotals = table.rowTotals ? table.cells.map((row) => model.variable(sum(row), 1)) : [];
  const columnTotals = Array.from({ length: columns }, (_, c) =>
    model.variable(sum(table.cells.map((row) => row[c])), 1),
  );
  const grand =
    table.rowTotals && rows > 0 && columns > 0
      ? model.variable(sum(table.cells.map(sum)), 2)
      : undefined;
  if (table.rowTotals) cells.forEach((row, r) => model.line(rowTotals[r], row));
  columnTotals.forEach((total, c) =>
    model.line(
      total,
      cells.map((row) => row[c]),
    ),
  );
  if (grand !== undefined) {
    model.line(grand, rowTotals);
    model.line(grand, columnTotals);
  }
  cells.forEach((row, r) => {
    const members = table.rowTotals ? [...row, rowTotals[r]] : row;
    const size = table.groupSize === 'rowTotal' ? rowTotals[r] : row[table.groupSize];
    // In a cross-table every cell of a row is part of its total, the group's size.
    model.group(members, size, table.groupSize === 'rowTotal' ? members : [size]);
  });
  return { model, cells, rowTotals, columnTotals, grand };
}

/** What a reader may assume about every withheld number of a connected part of the table. */
export interface Assumption {
  bounds(variable: number): readonly [number, number];
  /** true: the bounds follow from what is withheld, so they change as more is withheld. */
  readonly followsWithheld?: boolean;
}

/**
 * The readers the audit defends against. Each assumption only counts where it holds for the
 * true table (a reader who assumes something false learns nothing reliable).
 */
export function assumptions(
  model: TableModel,
  hidden: readonly boolean[],
  threshold: number,
): Assumption[] {
  const small = threshold - 1;
  const box = (lo: number, hi: number): Assumption => {
    const bounds = [lo, hi] as const;
    return { bounds: () => bounds };
  };
  // A group whose every count is withheld looks like a small group: its case count (and what
  // cannot exceed it) is then assumed to be small.
  const looksSmall = new Set<number>();
  for (const group of model.groups) {
    if (group.members.every((v) => hidden[v])) {
      for (const v of group.boundedBySize) looksSmall.add(v);
    }
  }
  const readers: Assumption[] = [
    box(0, Infinity),
    box(1, Infinity),
    box(0, small),
    box(1, small),
    { bounds: (v) => (looksSmall.has(v) ? [0, small] : [0, Infinity]), followsWithheld: true },
  ];
  return readers.filter((a) => {
    // A reader sure of the value before reading (threshold 2: "1 .. 1") is not a reader.
    const [lo, hi] = a.bounds(-1);
    return hi - lo >= 1;
  });
}

/**
 * The withheld numbers as a directed graph whose circulations are exactly the ways to change
 * withheld numbers while keeping every line's sum: each line is a node and each withheld number
 * an edge between the two lines it belongs to (or between its one line and a free node).
 *
 * Signs: a number is +1 in a line as a part and -1 as its total. The tables here are
 * bipartite (row-like and column-like lines) and every line can be given a sign rho so that,
 * with y = sigma * x per number, each number is +1 at one end (its tail) and -1 at the other
 * (its head): a network matrix, so the sets of tables consistent with what is published are
 * transportation polytopes with integral vertices.
 */
export interface Orientation {
  readonly tail: number[];
  readonly head: number[];
  readonly sigma: Array<1 | -1>;
  readonly nodes: number;
}

export function orient(model: TableModel): Orientation {
  const lineCount = model.lines.length;
  const rho: Array<1 | -1 | 0> = new Array(lineCount).fill(0);
  const adjacency: Array<Array<{ to: number; product: 1 | -1 }>> = Array.from(
    { length: lineCount },
    () => [],
  );
  for (const variable of model.variables) {
    if (variable.lines.length === 2) {
      const [a, b] = variable.lines;
      // rho_a * rho_b = -(a_a * a_b): one end +1, the other -1.
      const product = -(a.coefficient * b.coefficient) as 1 | -1;
      adjacency[a.line].push({ to: b.line, product });
      adjacency[b.line].push({ to: a.line, product });
    }
  }
  for (let start = 0; start < lineCount; start++) {
    if (rho[start] !== 0) continue;
    rho[start] = 1;
    const queue = [start];
    while (queue.length > 0) {
      const line = queue.shift()!;
      for (const { to, product } of adjacency[line]) {
        const wanted = (rho[line] * product) as 1 | -1;
        if (rho[to] === 0) {
          rho[to] = wanted;
          queue.push(to);
        } else if (rho[to] !== wanted) {
          throw new Error('The table is not a network: unsupported structure');
        }
      }
    }
  }
  const tail: number[] = [];
  const head: number[] = [];
  const sigma: Array<1 | -1> = [];
  model.variables.forEach((variable) => {
    const [first, second] = variable.lines;
    const s = (rho[first.line] * first.coefficient) as 1 | -1;
    sigma.push(s);
    tail.push(first.line);
    // A number in one line only: its other end is a free node of that line (no equation).
    head.push(second ? second.line : lineCount + first.line);
  });
  return { tail, head, sigma, nodes: 2 * lineCount };
}

interface Parts {
  readonly of: readonly number[];
  readonly informed: ReadonlySet<number>;
}

class Auditor {
  private readonly orientation: Orientation;

  constructor(
    private readonly model: TableModel,
    private readonly threshold: number,
  ) {
    this.orientation = orient(model);
  }

  /**
   * Connected parts of the withheld numbers (`of`: a part per number): a reader's assumption is
   * judged per part. `informed`: the parts that touch a published number. Of any other part a
   * reader knows nothing but what they assume, whatever is published: nothing to audit there.
   */
  private components(hidden: readonly boolean[]): Parts {
    const parent = Array.from({ length: this.orientation.nodes }, (_, i) => i);
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    };
    hidden.forEach((h, v) => {
      if (h) parent[find(this.orientation.tail[v])] = find(this.orientation.head[v]);
    });
    const informed = new Set<number>();
    hidden.forEach((h, v) => {
      const touchesPublished = this.model.variables[v].lines.some(({ line }) =>
        this.model.membersOf(line).some((m) => !hidden[m]),
      );
      if (h && touchesPublished) informed.add(find(this.orientation.tail[v]));
    });
    return { of: this.model.variables.map((_, v) => find(this.orientation.tail[v])), informed };
  }

  /**
   * Whether withheld number `target` has one value only, for every table that agrees with what
   * is published, has the same sums on every line, and keeps every withheld number within the
   * assumption's bounds. The true table is one such table; another exists iff a circulation
   * through `target` can move by one unit within the bounds: a path back in the residual graph.
   */
  private pinnedUnder(
    target: number,
    hidden: readonly boolean[],
    assumption: Assumption,
    parts: Parts,
  ): boolean {
    if (!parts.informed.has(parts.of[target])) return false;
    const { tail, head, sigma, nodes } = this.orientation;
    const values = this.model.variables.map((v) => v.value);
    const inPart = (v: number) => hidden[v] && parts.of[v] === parts.of[target];
    // The assumption must hold for the true table, in this connected part.
    for (let v = 0; v < values.length; v++) {
      if (!inPart(v)) continue;
      const [lo, hi] = assumption.bounds(v);
      if (values[v] < lo || values[v] > hi) return false;
    }
    const canRaise = (v: number) => {
      const [lo, hi] = assumption.bounds(v);
      return sigma[v] === 1 ? values[v] < hi : values[v] > lo;
    };
    const canLower = (v: number) => {
      const [lo, hi] = assumption.bounds(v);
      return sigma[v] === 1 ? values[v] > lo : values[v] < hi;
    };
    const arcs: number[][] = Array.from({ length: nodes }, () => []);
    for (let v = 0; v < values.length; v++) {
      if (v === target || !inPart(v)) continue;
      if (canRaise(v)) arcs[tail[v]].push(head[v]);
      if (canLower(v)) arcs[head[v]].push(tail[v]);
    }
    const reaches = (from: number, to: number) => {
      const seen = new Uint8Array(nodes);
      const stack = [from];
      seen[from] = 1;
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node === to) return true;
        for (const next of arcs[node]) {
          if (!seen[next]) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
      return false;
    };
    const up = canRaise(target) && reaches(head[target], tail[target]);
    const down = canLower(target) && reaches(tail[target], head[target]);
    return !up && !down;
  }

  /**
   * The members of every line that touches the withheld part of the table `variable` is in.
   */
  linesAround(variable: number, hidden: readonly boolean[]): number[] {
    const { of } = this.components(hidden);
    return this.model.variables.flatMap((v, i) =>
      hidden[i] && of[i] === of[variable]
        ? v.lines.flatMap(({ line }) => this.model.membersOf(line))
        : [],
    );
  }

  /** The first withheld number some reader can pin down, with that reader; or undefined. */
  firstPinned(
    hidden: readonly boolean[],
  ): { variable: number; assumption: Assumption } | undefined {
    const parts = this.components(hidden);
    const readers = assumptions(this.model, hidden, this.threshold);
    for (let v = 0; v < hidden.length; v++) {
      if (!hidden[v]) continue;
      // A number never published matters only where it is itself a small count.
      const { publishable, value } = this.model.variables[v];
      if (!publishable && !(value >= 1 && value < this.threshold)) continue;
      for (const assumption of readers) {
        if (this.pinnedUnder(v, hidden, assumption, parts)) return { variable: v, assumption };
      }
    }
    return undefined;
  }

  pinned(variable: number, hidden: readonly boolean[], assumption: Assumption): boolean {
    return this.pinnedUnder(variable, hidden, assumption, this.components(hidden));
  }
}

/** Cheapest first: cells before totals, small before large, then table order. */
function byCost(model: TableModel) {
  return (a: number, b: number) => {
    const x = model.variables[a];
    const y = model.variables[b];
    return x.tier - y.tier || x.value - y.value || a - b;
  };
}

/**
 * Line rule, on lines whose every member could be published: no such line may have exactly
 * one withheld member.
 */
function applyLineRule(model: TableModel, hidden: boolean[]): void {
  const cost = byCost(model);
  const lines = model.lines
    .map((_, line) => line)
    .filter((line) => model.membersOf(line).every((v) => model.variables[v].publishable));
  const withheld = (line: number) => model.membersOf(line).filter((v) => hidden[v]).length;
  for (;;) {
    const deficient = lines.find((line) => withheld(line) === 1);
    if (deficient === undefined) return;
    // Prefer a candidate that also completes another line with one withheld member.
    const fixesAnother = (v: number) =>
      model.variables[v].lines.some(
        ({ line }) => line !== deficient && lines.includes(line) && withheld(line) === 1,
      );
    const candidates = model.membersOf(deficient).filter((v) => !hidden[v]);
    candidates.sort((a, b) => {
      const x = model.variables[a];
      const y = model.variables[b];
      return (
        x.tier - y.tier ||
        x.value - y.value ||
        Number(fixesAnother(b)) - Number(fixesAnother(a)) ||
        cost(a, b)
      );
    });
    hidden[candidates[0]] = true;
  }
}

/** Which numbers of `model` to withhold, and which groups are small; see the file comment. */
export function protect(
  model: TableModel,
  threshold: number,
): { hidden: boolean[]; small: boolean[] } {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError('threshold must be a positive integer');
  }
  const hidden = model.variables.map(
    (v) => !v.publishable || (v.value >= 1 && v.value < threshold),
  );
  const small = model.groups.map((group) => model.variables[group.size].value < threshold);
  model.groups.forEach((group, g) => {
    if (small[g]) for (const v of group.members) hidden[v] = true;
  });

  const auditor = new Auditor(model, threshold);
  const cost = byCost(model);
  const open = (vs: Iterable<number>) =>
    [...new Set(vs)].filter((v) => !hidden[v] && model.variables[v].publishable).sort(cost);
  for (;;) {
    applyLineRule(model, hidden);
    const found = auditor.firstPinned(hidden);
    if (!found) break;
    const { variable, assumption } = found;
    let candidates = open(
      model.variables[variable].lines.flatMap(({ line }) => model.membersOf(line)),
    );
    // Its part of the table touches a published number (else it would not be pinned by
    // what is published), so there is a line with a number left to withhold.
    if (candidates.length === 0) candidates = open(auditor.linesAround(variable, hidden));
    if (candidates.length === 0) throw new Error('Suppression invariant broken: nothing to add');
    // The cheapest number whose withholding frees the pinned one; else the cheapest.
    const frees = candidates.find((candidate) => {
      const trial = [...hidden];
      trial[candidate] = true;
      return !auditor.pinned(variable, trial, assumption);
    });
    hidden[frees ?? candidates[0]] = true;
  }
  return { hidden, small };
}

/** Which numbers of a table of counts to withhold; see the file comment for the rules. */
export function suppress(table: CountTable): Suppression {
  const { model, cells, rowTotals, columnTotals, grand } = crossTableModel(table);
  const { hidden, small } = protect(model, table.threshold ?? MIN_PUBLISHED_COUNT);
  return {
    cells: cells.map((row) => row.map((v) => hidden[v])),
    rowTotals: table.cells.map((_, r) => (table.rowTotals ? hidden[rowTotals[r]] : false)),
    columnTotals: columnTotals.map((v) => hidden[v]),
    grandTotal: grand === undefined ? false : hidden[grand],
    smallGroups: small,
  };
}

/**
 * Which figures of two linked groupings to withhold, so that neither grouping, nor both read
 * together, give a withheld count away: per measure, a cross-table of the groups of a (rows)
 * and of b (columns) whose cells, the parts, are never published.
 */
export function suppressLinked(input: LinkedGroupings): LinkedSuppression {
  const threshold = input.threshold ?? MIN_PUBLISHED_COUNT;
  const { measures, groupSize } = input;
  if (!Number.isInteger(groupSize) || groupSize < 0 || groupSize >= measures) {
    throw new RangeError('groupSize names no measure');
  }
  for (const part of input.parts) {
    if (part.counts.length !== measures) throw new RangeError('Every part needs every measure');
  }
  const names = (key: 'a' | 'b') => [...new Set(input.parts.map((part) => part[key]))];
  const aNames = names('a');
  const bNames = names('b');
  const model = new TableModel();
  const of = (key: 'a' | 'b', name: string, m: number) =>
    sum(input.parts.filter((part) => part[key] === name).map((part) => part.counts[m]));
  const a: number[][] = []; // a[m][i]
  const b: number[][] = [];
  const parts: number[][] = []; // parts[m][p]
  const totals: number[] = [];
  for (let m = 0; m < measures; m++) {
    parts.push(input.parts.map((part) => model.variable(part.counts[m], 3, false)));
    a.push(aNames.map((name) => model.variable(of('a', name, m), 0)));
    b.push(bNames.map((name) => model.variable(of('b', name, m), 0)));
    totals.push(model.variable(sum(input.parts.map((part) => part.counts[m])), 1));
    const partsOf = (key: 'a' | 'b', name: string) =>
      input.parts.flatMap((part, p) => (part[key] === name ? [parts[m][p]] : []));
    aNames.forEach((name, i) => model.line(a[m][i], partsOf('a', name)));
    bNames.forEach((name, j) => model.line(b[m][j], partsOf('b', name)));
    model.line(totals[m], a[m]);
    model.line(totals[m], b[m]);
  }
  const groupOf = (key: 'a' | 'b', figures: number[][], name: string, i: number) => {
    const size = figures[groupSize][i];
    const ownParts = input.parts.flatMap((part, p) =>
      part[key] === name ? [parts[groupSize][p]] : [],
    );
    model.group(
      figures.map((row) => row[i]),
      size,
      [size, ...ownParts],
    );
  };
  aNames.forEach((name, i) => groupOf('a', a, name, i));
  bNames.forEach((name, j) => groupOf('b', b, name, j));
  const { hidden, small } = protect(model, threshold);
  return {
    a: new Map(aNames.map((name, i) => [name, a.map((row) => hidden[row[i]])])),
    b: new Map(bNames.map((name, j) => [name, b.map((row) => hidden[row[j]])])),
    totals: totals.map((v) => hidden[v]),
    smallA: new Set(aNames.filter((_, i) => small[i])),
    smallB: new Set(bNames.filter((_, j) => small[aNames.length + j])),
  };
}
