/**
 * The audit of year-suppression.ts: for a withheld number and a reader, an explicit other
 * table that agrees with everything published, keeps every line and the reader's bounds, and
 * differs in that number; none found, the number counts as pinned down.
 */
import { assumptions, type Assumption } from './suppression.js';
import {
  monthsOf,
  MONTHS,
  quarterOf,
  quarterPeriod,
  TIME_MOVES,
  YEAR_PERIOD,
  YEAR_PERIODS,
  type TimeMove,
} from './year-periods.js';
import type { YearModel } from './year-table.js';

/** A found alternative table: the numbers that change, each with its change. */
export type Witness = ReadonlyArray<readonly [number, number]>;

export class YearAuditor {
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
