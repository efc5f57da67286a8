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
 * line holds because it is linear in each factor. Where no product is found and every number
 * around is withheld already, one more kind is tried: a family of one part in one month more
 * (or fewer), perhaps against one of another part in another month fewer (more).
 *
 * Cost: the measures share no line, so each is protected on its own (the group size last:
 * whether a group looks small depends on the others). An alternative found stays one when
 * more is withheld, so it is kept and only checked again for the reader whose bounds follow
 * from what is withheld; one search within the bounds of every reader at once usually serves
 * them all; a number on trial is tried only in alternatives through it.
 *
 * A period in which a group has no plan and no escalation at all is left out of the answer, so
 * a reader knows its counts are 0: such numbers are known, never withheld, never audited. Like
 * a part that does not exist in suppression.ts they are structure: a connected part of the
 * withheld numbers whose lines hold no published number but such zeros is not audited (a
 * reader knows of it only what they assume, whatever is published).
 */
import { MIN_PUBLISHED_COUNT, type Assumption, type LinkedSuppression } from './suppression.js';
import { YearAuditor, type Witness } from './year-audit.js';
import { monthsOf, MONTHS, YEAR_PERIODS } from './year-periods.js';
import {
  cheapest,
  LineRule,
  placesOf,
  SuppressionInvariantBroken,
  YearModel,
} from './year-table.js';

export { MONTHS, monthsOf, quarterPeriod, YEAR_PERIOD, YEAR_PERIODS } from './year-periods.js';

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
          throw new SuppressionInvariantBroken('nothing to add');
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
 * The search for alternative tables is not proven complete: should it ever find a number
 * pinned with nothing left to withhold, the year is answered with every count withheld (fail
 * closed) rather than with an error, or with a figure that gives a count away.
 */
function protectOrWithholdAll(
  year: YearModel,
  threshold: number,
  groupSize: number,
): { hidden: boolean[]; small: boolean[] } {
  try {
    return protectYear(year, threshold, groupSize);
  } catch (error) {
    if (!(error instanceof SuppressionInvariantBroken)) throw error;
    return {
      hidden: year.model.variables.map(() => true),
      small: year.model.groups.map(() => false),
    };
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
  const { hidden, small } = protectOrWithholdAll(year, threshold, groupSize);
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
