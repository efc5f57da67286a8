/**
 * The year of the monitor as one table for year-suppression.ts: every measure x place x period
 * a number, the lines of both hierarchies, and the line rule over them.
 */
import { orient, TableModel } from './suppression.js';
import { MONTHS, monthsOf, quarterPeriod, YEAR_PERIOD, YEAR_PERIODS } from './year-periods.js';

/** The place network of one period: parts, then groups of a, groups of b, the total. */
export interface Places {
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

export function placesOf(parts: ReadonlyArray<{ readonly a: string; readonly b: string }>): Places {
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

export class YearModel {
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
export const cheapest = (model: TableModel) => (a: number, b: number) => {
  const [x, y] = [model.variables[a], model.variables[b]];
  return x.tier - y.tier || x.value - y.value || a - b;
};

/**
 * The line rule of suppression.ts, kept incrementally: a line with one withheld member gets
 * another withheld (cheapest first, preferring one that completes another such line).
 */
export class LineRule {
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
          throw new SuppressionInvariantBroken('a line with one withheld number');
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

/** The suppression found a number it could not protect by withholding another. */
export class SuppressionInvariantBroken extends Error {
  override readonly name = 'SuppressionInvariantBroken';
  constructor(reason: string) {
    super(`Suppression invariant broken: ${reason}`);
  }
}
