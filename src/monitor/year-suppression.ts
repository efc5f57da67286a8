/**
 * Small-cell suppression of the policy monitor for a whole calendar year at once: every month,
 * quarter and the year, each per wijk, per stadsdeel and in total. Pure, deterministic.
 *
 * Counts of the monitor are counts of plans opened (escalations raised) in a period, so they
 * add up over time as they do over places: a quarter is the sum of its months, the year of its
 * quarters. Fixed periods never overlap partly, but they nest, and a year read with three of
 * its quarters gives the fourth away when only each period was protected on its own. So the
 * whole year is one table, with the lines of both hierarchies:
 *
 *   place: a wijk (and a stadsdeel) is the sum of its parts, the families of one wijk in one
 *          stadsdeel, which are never published; the total is the sum of the wijken, and of
 *          the stadsdelen; per period.
 *   time:  a quarter is the sum of its months, the year of its quarters; per place.
 *
 * Whatever period is asked, its answer is the slice of this one suppression: a reader who
 * collects every answer of the year, both groupings, holds no more than this table.
 *
 * The rules are those of suppression.ts (primary < threshold, small groups, the line rule,
 * and an audit against the same readers), with one difference in the audit. A table with both
 * hierarchies is three-dimensional (wijk x stadsdeel x time), not a network, so the exact flow
 * audit of suppression.ts does not apply. Instead a withheld number counts as protected only
 * when an alternative table is found, explicitly, that agrees with everything published, keeps
 * every line and the reader's bounds, and differs in that number: sound (a found table is a
 * real one), if cautious (a number for which none is found is freed by withholding more).
 * The alternatives searched are products: a change g per place that keeps every place line
 * (a cycle of the place network, found exactly by its residual graph), times a change t per
 * period that keeps every time line (one month up and with it its quarter and the year; one
 * month up and another of the same quarter down; or one month and its quarter up and a month
 * of another quarter and that quarter down). The cell (place, period) moves by g * t; every
 * line holds because it is linear in each factor.
 *
 * A period in which a group has no plan and no escalation at all is left out of the answer, so
 * a reader knows its counts are 0: such numbers are known, never withheld, never audited. Like
 * a part that does not exist in suppression.ts they are structure: a connected part of the
 * withheld numbers whose lines hold no published number but such zeros is not audited (a
 * reader knows of it only what they assume, whatever is published).
 */
import {
  assumptions,
  MIN_PUBLISHED_COUNT,
  orient,
  TableModel,
  type Assumption,
  type LinkedSuppression,
} from './suppression.js';

/** Periods of a year, by index: months 0..11, quarters 12..15, the year 16. */
export const MONTHS = 12;
export const YEAR_PERIODS = 17;
export const YEAR_PERIOD = 16;
export const quarterPeriod = (quarter: number) => MONTHS + quarter;
const quarterOf = (month: number) => Math.floor(month / 3);

/** The months (0..11) a period index spans. */
export function monthsOf(period: number): number[] {
  if (period < MONTHS) return [period];
  if (period === YEAR_PERIOD) return Array.from({ length: MONTHS }, (_, m) => m);
  const first = 3 * (period - MONTHS);
  return [first, first + 1, first + 2];
}

export interface YearGroupings {
  readonly parts: ReadonlyArray<{
    readonly a: string;
    readonly b: string;
    /**
     * Per month 0..11: one count per measure, or undefined when the part had nothing at all
     * that month (no row: not shown, so known to be 0).
     */
    readonly months: ReadonlyArray<readonly number[] | undefined>;
  }>;
  readonly measures: number;
  /** The measure that is a group's own number of cases. */
  readonly groupSize: number;
  readonly threshold?: number;
}

/**
 * Per period index, the suppression of that period's answer: only the groups with anything in
 * the period (the others are left out of the answer).
 */
export interface YearSuppression {
  readonly periods: readonly LinkedSuppression[];
}

/** A change per period that keeps every time line: [period, +1 | -1], target first, +1. */
type TimeMove = ReadonlyArray<readonly [number, 1 | -1]>;

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

const TIME_MOVES = timeMoves();

/** The place network of one period: parts, then groups of a, groups of b, the total. */
interface Places {
  readonly aNames: string[];
  readonly bNames: string[];
  readonly partsOfA: number[][];
  readonly partsOfB: number[][];
  readonly count: number;
  readonly aIndex: (i: number) => number;
  readonly bIndex: (j: number) => number;
  readonly total: number;
  readonly tail: number[];
  readonly head: number[];
  readonly sigma: Array<1 | -1>;
  readonly nodes: number;
  /** Per place, the parts it is the sum of; per part, the places it is in. */
  readonly partsOf: number[][];
  readonly containing: number[][];
  /** Per node of the network, the places that end there. */
  readonly incident: number[][];
}

function placesOf(parts: YearGroupings['parts']): Places {
  const aNames = [...new Set(parts.map((p) => p.a))];
  const bNames = [...new Set(parts.map((p) => p.b))];
  const partsOfA = aNames.map((a) => parts.flatMap((p, i) => (p.a === a ? [i] : [])));
  const partsOfB = bNames.map((b) => parts.flatMap((p, i) => (p.b === b ? [i] : [])));
  const aIndex = (i: number) => parts.length + i;
  const bIndex = (j: number) => parts.length + aNames.length + j;
  const total = parts.length + aNames.length + bNames.length;
  const model = new TableModel();
  for (let g = 0; g <= total; g++) model.variable(0, 0);
  partsOfA.forEach((own, i) => model.line(aIndex(i), own));
  partsOfB.forEach((own, j) => model.line(bIndex(j), own));
  model.line(
    total,
    aNames.map((_, i) => aIndex(i)),
  );
  model.line(
    total,
    bNames.map((_, j) => bIndex(j)),
  );
  const { tail, head, sigma, nodes } = orient(model);
  const partsOf = [...parts.map((_, p) => [p]), ...partsOfA, ...partsOfB, parts.map((_, p) => p)];
  const containing = parts.map((_, p) => partsOf.flatMap((own, g) => (own.includes(p) ? [g] : [])));
  const incident: number[][] = Array.from({ length: nodes }, () => []);
  for (let g = 0; g <= total; g++) {
    incident[tail[g]].push(g);
    if (head[g] !== tail[g]) incident[head[g]].push(g);
  }
  return {
    incident,
    partsOf,
    containing,
    aNames,
    bNames,
    partsOfA,
    partsOfB,
    count: total + 1,
    aIndex,
    bIndex,
    total,
    tail,
    head,
    sigma,
    nodes,
  };
}

/** A found alternative table: the numbers that change, each with its change. */
type Witness = ReadonlyArray<readonly [number, number]>;

class YearModel {
  readonly model = new TableModel();
  readonly known: boolean[] = [];
  /** Lines whose every member may be published: the line rule applies to them. */
  readonly ruled: boolean[] = [];
  /** Per measure, its lines [from, to): measures share no line. */
  readonly linesOf: Array<[number, number]> = [];

  constructor(
    readonly places: Places,
    readonly measures: number,
    values: (m: number, g: number, t: number) => number,
    present: (g: number, t: number) => boolean,
  ) {
    const { count, total } = places;
    const isPart = (g: number) => g < places.aIndex(0);
    for (let m = 0; m < measures; m++) {
      for (let g = 0; g < count; g++) {
        for (let t = 0; t < YEAR_PERIODS; t++) {
          // Information lost: months before quarters before the year, groups before the total.
          const timeTier = t < MONTHS ? 0 : t === YEAR_PERIOD ? 2 : 1;
          const tier = isPart(g) ? 9 : timeTier + Number(g === total);
          this.model.variable(values(m, g, t), tier, !isPart(g));
          this.known.push(!present(g, t));
        }
      }
    }
    for (let m = 0; m < measures; m++) {
      const first = this.model.lines.length;
      for (let t = 0; t < YEAR_PERIODS; t++) {
        const at = (g: number) => this.id(m, g, t);
        places.partsOfA.forEach((own, i) => this.line(at(places.aIndex(i)), own.map(at), false));
        places.partsOfB.forEach((own, j) => this.line(at(places.bIndex(j)), own.map(at), false));
        this.line(
          at(total),
          places.aNames.map((_, i) => at(places.aIndex(i))),
          true,
        );
        this.line(
          at(total),
          places.bNames.map((_, j) => at(places.bIndex(j))),
          true,
        );
      }
      for (let g = 0; g < count; g++) {
        const at = (t: number) => this.id(m, g, t);
        for (let q = 0; q < 4; q++) {
          this.line(at(quarterPeriod(q)), monthsOf(quarterPeriod(q)).map(at), !isPart(g));
        }
        this.line(
          at(YEAR_PERIOD),
          [0, 1, 2, 3].map((q) => at(quarterPeriod(q))),
          !isPart(g),
        );
      }
      this.linesOf.push([first, this.model.lines.length]);
    }
  }

  id(m: number, g: number, t: number): number {
    return (m * this.places.count + g) * YEAR_PERIODS + t;
  }

  private line(total: number, parts: number[], ruled: boolean) {
    this.model.line(total, parts);
    this.ruled.push(ruled);
  }
}

/** Cheapest first: cells before totals, months before years, small before large. */
const cheapest = (model: TableModel) => (a: number, b: number) => {
  const [x, y] = [model.variables[a], model.variables[b]];
  return x.tier - y.tier || x.value - y.value || a - b;
};

/**
 * The line rule of suppression.ts, kept incrementally: a line with one withheld member gets
 * another withheld (cheapest first, preferring one that completes another such line).
 */
class LineRule {
  private readonly withheld: number[];

  constructor(
    private readonly year: YearModel,
    private readonly hidden: boolean[],
  ) {
    const { model } = year;
    this.withheld = model.lines.map((_, l) => model.membersOf(l).filter((v) => hidden[v]).length);
  }

  hide(v: number): void {
    if (this.hidden[v]) return;
    this.hidden[v] = true;
    for (const { line } of this.year.model.variables[v].lines) this.withheld[line]++;
  }

  apply(): void {
    const { model, known, ruled } = this.year;
    const cost = cheapest(model);
    const deficient = (l: number) => ruled[l] && this.withheld[l] === 1;
    for (let changed = true; changed;) {
      changed = false;
      for (let l = 0; l < model.lines.length; l++) {
        if (!deficient(l)) continue;
        const candidates = model.membersOf(l).filter((v) => !this.hidden[v] && !known[v]);
        if (candidates.length === 0) {
          throw new Error('Suppression invariant broken: a line with one withheld number');
        }
        const fixesAnother = (v: number) =>
          model.variables[v].lines.some(({ line }) => line !== l && deficient(line));
        candidates.sort(
          (a, b) =>
            model.variables[a].tier - model.variables[b].tier ||
            model.variables[a].value - model.variables[b].value ||
            Number(fixesAnother(b)) - Number(fixesAnother(a)) ||
            cost(a, b),
        );
        this.hide(candidates[0]);
        changed = true;
      }
    }
  }
}

class YearAuditor {
  constructor(
    private readonly year: YearModel,
    private readonly threshold: number,
  ) {}

  /** Connected parts of the withheld numbers, and those that touch a known number. */
  components(hidden: readonly boolean[], measure: number) {
    const { model } = this.year;
    const parent = model.variables.map((_, i) => i);
    const [from, to] = this.year.linesOf[measure];
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    };
    const touching: number[] = [];
    for (let l = from; l < to; l++) {
      const members = model.membersOf(l);
      const withheld = members.filter((v) => hidden[v]);
      for (const v of withheld.slice(1)) parent[find(v)] = find(withheld[0]);
      // Known zeros (a group left out of a period) are structure, as a part that does not
      // exist is in suppression.ts: they inform nothing on their own.
      const published = members.some((v) => !hidden[v] && !this.year.known[v]);
      if (withheld.length > 0 && published) touching.push(withheld[0]);
    }
    const of = model.variables.map((_, v) => find(v));
    return { of, informed: new Set(touching.map((v) => of[v])) };
  }

  /** An alternative table in which `target` differs, within the reader's bounds; or none. */
  witness(
    target: number,
    hidden: readonly boolean[],
    assumption: Assumption,
    /** Only alternatives that move this number: the one just withheld, on trial. */
    through?: number,
  ): Witness | undefined {
    const { places, model } = this.year;
    const perMeasure = places.count * YEAR_PERIODS;
    const m = Math.floor(target / perMeasure);
    const g0 = Math.floor((target % perMeasure) / YEAR_PERIODS);
    const t0 = target % YEAR_PERIODS;
    const { tail, head, sigma, nodes, incident } = places;
    const value = (v: number) => model.variables[v].value;
    // Per place and direction: 0 not looked at yet, 1 may move, 2 may not.
    const memo = new Uint8Array(2 * places.count);
    const via = new Int32Array(nodes);
    const seen = new Uint8Array(nodes);
    const moves =
      through === undefined
        ? TIME_MOVES[t0]
        : TIME_MOVES[t0].filter((move) => move.some(([t]) => t === through % YEAR_PERIODS));
    for (const move of moves) {
      memo.fill(0);
      // Whether place g may change by d (each period of the move by d times its step).
      const may = (g: number, d: 1 | -1) => {
        const slot = 2 * g + (d === 1 ? 0 : 1);
        if (memo[slot] === 0) {
          const ok = move.every(([t, step]) => {
            const v = this.year.id(m, g, t);
            if (!hidden[v]) return false;
            const [lo, hi] = assumption.bounds(v);
            const moved = value(v) + d * step;
            return moved >= lo && moved <= hi;
          });
          memo[slot] = ok ? 1 : 2;
        }
        return memo[slot] === 1;
      };
      // A path in the residual graph, looked at lazily: most searches end after a few lines.
      const path = (from: number, to: number) => {
        seen.fill(0);
        const stack = [from];
        seen[from] = 1;
        while (stack.length > 0) {
          const node = stack.pop()!;
          if (node === to) {
            const steps: Array<readonly [number, 1 | -1]> = [];
            for (let n = to; n !== from;) {
              const g = via[n] >> 1;
              const d = (via[n] & 1 ? -1 : 1) as 1 | -1;
              steps.push([g, d]);
              n = n === head[g] ? tail[g] : head[g];
            }
            return steps;
          }
          for (const g of incident[node]) {
            if (g === g0) continue;
            // Along tail -> head the place changes by sigma, back by -sigma.
            const forward = tail[g] === node;
            const d = (forward ? sigma[g] : -sigma[g]) as 1 | -1;
            const next = forward ? head[g] : tail[g];
            if (seen[next] || !may(g, d)) continue;
            seen[next] = 1;
            via[next] = 2 * g + (d === 1 ? 0 : 1);
            stack.push(next);
          }
        }
        return undefined;
      };
      if (may(g0, sigma[g0])) {
        const rest = path(head[g0], tail[g0]);
        if (rest) return this.expand(m, move, [[g0, sigma[g0]], ...rest]);
      }
      const back = -sigma[g0] as 1 | -1;
      if (may(g0, back)) {
        const rest = path(tail[g0], head[g0]);
        if (rest) return this.expand(m, move, [[g0, back], ...rest]);
      }
    }
    return undefined;
  }

  private expand(m: number, move: TimeMove, places: ReadonlyArray<readonly [number, 1 | -1]>) {
    return places.flatMap(([g, d]) =>
      move.map(([t, step]) => [this.year.id(m, g, t), d * step] as const),
    );
  }

  /** Whether a witness found before still is one. */
  holds(w: Witness, hidden: readonly boolean[], assumption: Assumption): boolean {
    return w.every(([v, change]) => {
      if (!hidden[v]) return false;
      const [lo, hi] = assumption.bounds(v);
      const moved = this.year.model.variables[v].value + change;
      return moved >= lo && moved <= hi;
    });
  }

  /**
   * The other alternatives, tried where no product is found and nothing is left to withhold
   * (slower): one family of a part in a month more (or fewer), and maybe another of a part
   * in a month fewer (more), everything that contains either moving with it.
   */
  exchange(target: number, hidden: readonly boolean[], assumption: Assumption) {
    const { places } = this.year;
    const perMeasure = places.count * YEAR_PERIODS;
    const m = Math.floor(target / perMeasure);
    const g0 = Math.floor((target % perMeasure) / YEAR_PERIODS);
    const t0 = target % YEAR_PERIODS;
    const periodsOf = (month: number) => [month, quarterPeriod(quarterOf(month)), YEAR_PERIOD];
    const around = (p: number, month: number) =>
      places.containing[p].flatMap((g) => periodsOf(month).map((t) => this.year.id(m, g, t)));
    const cells = places.partsOf[places.total].flatMap((p) =>
      Array.from({ length: MONTHS }, (_, month) => [p, month] as const),
    );
    const inside = cells.filter(
      ([p, month]) => places.partsOf[g0].includes(p) && monthsOf(t0).includes(month),
    );
    for (const [p, month] of inside) {
      const own = around(p, month);
      for (const d of [1, -1]) {
        const single = own.map((v) => [v, d] as const);
        if (this.holds(single, hidden, assumption)) return single;
        for (const [q, other] of cells) {
          if (places.partsOf[g0].includes(q) && monthsOf(t0).includes(other)) continue;
          const change = new Map(own.map((v) => [v, d]));
          for (const v of around(q, other)) change.set(v, (change.get(v) ?? 0) - d);
          const moved = [...change].filter(([, c]) => c !== 0);
          if (this.holds(moved, hidden, assumption)) return moved;
        }
      }
    }
    return undefined;
  }

  readers(hidden: readonly boolean[]): Assumption[] {
    return assumptions(this.year.model, hidden, this.threshold);
  }
}

/** Which numbers of the year to withhold; see the file comment. */
function protectYear(
  year: YearModel,
  threshold: number,
  groupSize: number,
): { hidden: boolean[]; small: boolean[] } {
  const { model, known } = year;
  const hidden = model.variables.map(
    (v, i) => !known[i] && (!v.publishable || (v.value >= 1 && v.value < threshold)),
  );
  const small = model.groups.map((group) => model.variables[group.size].value < threshold);
  model.groups.forEach((group, g) => {
    if (small[g]) for (const v of group.members) hidden[v] = true;
  });
  const rule = new LineRule(year, hidden);
  const auditor = new YearAuditor(year, threshold);
  const cost = cheapest(model);
  const open = (vs: Iterable<number>) =>
    [...new Set(vs)].filter((v) => !hidden[v] && !known[v] && model.variables[v].publishable);
  const witnesses = new Map<number, Witness>();
  const lineIds = (v: number) => model.variables[v].lines.map(({ line }) => line);
  const perMeasure = year.places.count * YEAR_PERIODS;
  // Measures share no line: each is protected on its own, the group size last, as what looks
  // like a small group (every count withheld) depends on the others.
  const order = Array.from({ length: year.measures }, (_, m) => m).sort(
    (x, y) => Number(x === groupSize) - Number(y === groupSize),
  );
  rule.apply();
  for (const measure of order) {
    for (let clean = false; !clean;) {
      clean = !protectPass(measure);
    }
  }
  return { hidden, small };

  /** One pass over the withheld numbers of a measure; true when it withheld more. */
  function protectPass(measure: number): boolean {
    rule.apply();
    let clean = true;
    // Hidden within this pass: the parts and readers found at its start may be out of date.
    let hides = 0;
    const { of, informed } = auditor.components(hidden, measure);
    const [first, end] = [measure * perMeasure, (measure + 1) * perMeasure];
    const members = new Map<number, number[]>();
    for (let v = first; v < end; v++) {
      if (!hidden[v]) continue;
      if (!members.has(of[v])) members.set(of[v], []);
      members.get(of[v])!.push(v);
    }
    const around = new Map<number, number[]>();
    const readers = auditor.readers(hidden);
    // A reader's assumption counts per connected part, where it holds for the true table.
    const fails = readers.map(() => new Set<number>());
    for (let v = first; v < end; v++) {
      if (!hidden[v]) continue;
      readers.forEach((reader, r) => {
        const [lo, hi] = reader.bounds(v);
        const value = model.variables[v].value;
        if (value < lo || value > hi) fails[r].add(of[v]);
      });
    }
    for (let v = first; v < end; v++) {
      if (!hidden[v] || !informed.has(of[v])) continue;
      const { publishable, value } = model.variables[v];
      if (!publishable && !(value >= 1 && value < threshold)) continue;
      // Withholding more keeps an alternative found before one, unless the reader's bounds moved.
      const unsettled = readers.flatMap((reader, r) => {
        if (fails[r].has(of[v])) return [];
        const before = witnesses.get(v * 8 + r);
        const settled =
          before && (!reader.followsWithheld || auditor.holds(before, hidden, reader));
        return settled ? [] : [r];
      });
      if (unsettled.length > 1) {
        // One alternative within the bounds of all of them, if there is one, serves them all.
        const all: Assumption = {
          bounds: (u) => {
            let [lo, hi] = [0, Infinity];
            for (const r of unsettled) {
              const [l, h] = readers[r].bounds(u);
              if (l > lo) lo = l;
              if (h < hi) hi = h;
            }
            return [lo, hi];
          },
        };
        const found = auditor.witness(v, hidden, all);
        if (found) {
          for (const r of unsettled) witnesses.set(v * 8 + r, found);
          continue;
        }
      }
      for (const r of unsettled) {
        const key = v * 8 + r;
        const found = auditor.witness(v, hidden, readers[r]);
        if (found) {
          witnesses.set(key, found);
          continue;
        }
        // Pinned: withhold the cheapest number of its lines, or of the lines of the parts
        // there (a wijk's stadsdeel), that frees it; else the cheapest.
        const near = model.variables[v].lines.flatMap(({ line }) => model.membersOf(line));
        const beyond = near
          .filter((u) => !model.variables[u].publishable && !known[u])
          .flatMap((u) => model.variables[u].lines.flatMap(({ line }) => model.membersOf(line)));
        let candidates = open([...near, ...beyond]).sort(cost);
        if (candidates.length === 0) {
          if (!around.has(of[v])) {
            const lines = new Set((members.get(of[v]) ?? []).flatMap((u) => lineIds(u)));
            around.set(of[v], [...new Set([...lines].flatMap((l) => model.membersOf(l)))]);
          }
          candidates = open(around.get(of[v])!).sort(cost);
        }
        if (candidates.length === 0 && hides > 0) {
          clean = false;
          continue;
        }
        if (candidates.length === 0) {
          const exchanged = auditor.exchange(v, hidden, readers[r]);
          if (exchanged) {
            witnesses.set(key, exchanged);
            continue;
          }
          throw new Error('Suppression invariant broken: nothing to add');
        }
        // Of the cheapest dozen: trying every one costs more time than it saves figures.
        const frees = candidates.slice(0, 12).find((candidate) => {
          hidden[candidate] = true;
          const freed = auditor.witness(v, hidden, readers[r], candidate) !== undefined;
          hidden[candidate] = false;
          return freed;
        });
        rule.hide(frees ?? candidates[0]);
        hides++;
        clean = false;
        break;
      }
    }
    return !clean;
  }
}

/**
 * Which figures of a year of two linked groupings to withhold, for every month, quarter and
 * the year at once; see the file comment.
 */
export function suppressOverYear(input: YearGroupings): YearSuppression {
  const threshold = input.threshold ?? MIN_PUBLISHED_COUNT;
  const { measures, groupSize } = input;
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError('threshold must be a positive integer');
  }
  if (!Number.isInteger(groupSize) || groupSize < 0 || groupSize >= measures) {
    throw new RangeError('groupSize names no measure');
  }
  for (const part of input.parts) {
    if (part.months.length !== MONTHS) throw new RangeError('Every part needs 12 months');
    for (const counts of part.months) {
      if (counts && counts.length !== measures) {
        throw new RangeError('Every part needs every measure');
      }
    }
  }
  // The same table whatever order the parts come in.
  const parts = [...input.parts].sort((x, y) =>
    x.a === y.a ? (x.b < y.b ? -1 : x.b > y.b ? 1 : 0) : x.a < y.a ? -1 : 1,
  );
  const places = placesOf(parts);
  const members = (g: number): number[] => {
    if (g < parts.length) return [g];
    if (g === places.total) return parts.map((_, p) => p);
    const i = g - parts.length;
    return i < places.aNames.length
      ? places.partsOfA[i]
      : places.partsOfB[i - places.aNames.length];
  };
  const ofPlace = Array.from({ length: places.count }, (_, g) => members(g));
  const monthValue = (m: number, g: number, month: number) =>
    ofPlace[g].reduce((s, p) => s + (parts[p].months[month]?.[m] ?? 0), 0);
  const monthPresent = (g: number, month: number) =>
    ofPlace[g].some((p) => parts[p].months[month] !== undefined);
  const aOf = parts.map((p) => places.aIndex(places.aNames.indexOf(p.a)));
  const bOf = parts.map((p) => places.bIndex(places.bNames.indexOf(p.b)));
  const presentAt = (g: number, t: number): boolean =>
    g < parts.length
      ? // A part is unknown to a reader where its wijk and its stadsdeel are both shown.
        presentAt(aOf[g], t) && presentAt(bOf[g], t)
      : monthsOf(t).some((month) => monthPresent(g, month));
  const year = new YearModel(
    places,
    measures,
    (m, g, t) => monthsOf(t).reduce((s, month) => s + monthValue(m, g, month), 0),
    presentAt,
  );
  const groupsAt: Array<{ g: number; t: number }> = [];
  for (let t = 0; t < YEAR_PERIODS; t++) {
    for (let g = parts.length; g < places.total; g++) {
      if (!presentAt(g, t)) continue;
      const size = year.id(groupSize, g, t);
      const ownParts = ofPlace[g]
        .map((p) => year.id(groupSize, p, t))
        .filter((v) => !year.known[v]);
      year.model.group(
        Array.from({ length: measures }, (_, m) => year.id(m, g, t)),
        size,
        [size, ...ownParts],
      );
      groupsAt.push({ g, t });
    }
  }
  const { hidden, small } = protectYear(year, threshold, groupSize);
  const isSmall = new Set(groupsAt.flatMap(({ g, t }, i) => (small[i] ? [`${g}/${t}`] : [])));
  const flags = (g: number, t: number) =>
    Array.from({ length: measures }, (_, m) => hidden[year.id(m, g, t)]);
  const periods = Array.from({ length: YEAR_PERIODS }, (_, t): LinkedSuppression => {
    const shownA = places.aNames.flatMap((name, i) =>
      presentAt(places.aIndex(i), t) ? [[name, places.aIndex(i)] as const] : [],
    );
    const shownB = places.bNames.flatMap((name, j) =>
      presentAt(places.bIndex(j), t) ? [[name, places.bIndex(j)] as const] : [],
    );
    return {
      a: new Map(shownA.map(([name, g]) => [name, flags(g, t)])),
      b: new Map(shownB.map(([name, g]) => [name, flags(g, t)])),
      totals: flags(places.total, t),
      smallA: new Set(shownA.filter(([, g]) => isSmall.has(`${g}/${t}`)).map(([name]) => name)),
      smallB: new Set(shownB.filter(([, g]) => isSmall.has(`${g}/${t}`)).map(([name]) => name)),
    };
  });
  return { periods };
}
