/**
 * The attack on a whole year of the policy monitor, written apart from year-suppression.ts so
 * that the tests can check one against the other. The reader collects every answer of the
 * year (12 months, 4 quarters, the year; per wijk and per stadsdeel) and knows every line: a
 * wijk or stadsdeel is the sum of its parts (the families of one wijk in one stadsdeel, never
 * published), the total the sum of the wijken and of the stadsdelen, a quarter the sum of its
 * months and the year of its quarters. A group left out of a period's answer had nothing in
 * it: 0, known from the structure of the answer (as a part that does not exist is in
 * recovery-attack.ts), so it makes no line informed on its own. The search of recovery-attack.ts then tries every value of every withheld number.
 *
 * Only the tests use this; it never sees a request.
 */
import { recoverFrom, systemOfLines, type NamedLine, type Recovered } from './recovery-attack.js';
import { monthsOf, MONTHS, YEAR_PERIOD, YEAR_PERIODS, quarterPeriod } from './year-suppression.js';

/** The true counts of one part, per month (undefined: nothing that month). */
export interface PartYear {
  readonly a: string;
  readonly b: string;
  readonly months: ReadonlyArray<readonly number[] | undefined>;
}

/** One period's answers: per group of a, of b, the counts (null: withheld); and the totals. */
export interface PublishedPeriod {
  readonly a: ReadonlyMap<string, ReadonlyArray<number | null>>;
  readonly b: ReadonlyMap<string, ReadonlyArray<number | null>>;
  readonly totals: ReadonlyArray<number | null>;
}

const PERIOD_NAMES = Array.from({ length: YEAR_PERIODS }, (_, t) =>
  t < MONTHS ? `month ${t + 1}` : t === YEAR_PERIOD ? 'year' : `Q${t - MONTHS + 1}`,
);

/**
 * Every withheld number of the year that some reader pins down, per measure; published: per
 * period index (months 0..11, quarters 12..15, the year 16). A part matters only when it is
 * itself a small count; every withheld figure matters.
 */
export function recoverOverYear(
  truth: readonly PartYear[],
  published: readonly PublishedPeriod[],
  groupSize: number,
  small = 4,
): Array<Recovered & { readonly measure: number }> {
  if (published.length !== YEAR_PERIODS) throw new Error('Give the answers of all 17 periods');
  const aNames = [...new Set(truth.map((p) => p.a))];
  const bNames = [...new Set(truth.map((p) => p.b))];
  const measures = published[0].totals.length;
  const at = (name: string, t: number) => `${name} @ ${PERIOD_NAMES[t]}`;
  const partName = (p: PartYear) => `part ${p.a} / ${p.b}`;
  const places = [
    ...truth.map((p) => ({ name: partName(p), parts: [p] })),
    ...aNames.map((a) => ({ name: `a ${a}`, parts: truth.filter((p) => p.a === a) })),
    ...bNames.map((b) => ({ name: `b ${b}`, parts: truth.filter((p) => p.b === b) })),
    { name: 'total', parts: [...truth] },
  ];
  const lines: NamedLine[] = [];
  for (let t = 0; t < YEAR_PERIODS; t++) {
    for (const a of aNames) {
      lines.push({ total: at(`a ${a}`, t), parts: partsIn((p) => p.a === a, t) });
    }
    for (const b of bNames) {
      lines.push({ total: at(`b ${b}`, t), parts: partsIn((p) => p.b === b, t) });
    }
    lines.push({ total: at('total', t), parts: aNames.map((a) => at(`a ${a}`, t)) });
    lines.push({ total: at('total', t), parts: bNames.map((b) => at(`b ${b}`, t)) });
  }
  for (const { name } of places) {
    for (let q = 0; q < 4; q++) {
      const quarter = quarterPeriod(q);
      lines.push({ total: at(name, quarter), parts: monthsOf(quarter).map((m) => at(name, m)) });
    }
    lines.push({
      total: at(name, YEAR_PERIOD),
      parts: [0, 1, 2, 3].map((q) => at(name, quarterPeriod(q))),
    });
  }
  function partsIn(member: (p: PartYear) => boolean, t: number) {
    return truth.filter(member).map((p) => at(partName(p), t));
  }

  const recovered: Array<Recovered & { measure: number }> = [];
  for (let m = 0; m < measures; m++) {
    const values = new Map<string, number | null>();
    const trueValues = new Map<string, number>();
    const looksSmall = new Set<string>();
    const structural = new Set<string>();
    for (let t = 0; t < YEAR_PERIODS; t++) {
      for (const { name, parts } of places) {
        trueValues.set(
          at(name, t),
          parts.reduce(
            (s, p) => s + monthsOf(t).reduce((u, month) => u + (p.months[month]?.[m] ?? 0), 0),
            0,
          ),
        );
      }
      for (const p of truth) values.set(at(partName(p), t), null);
      const shown = (key: 'a' | 'b', names: string[]) => {
        for (const name of names) {
          const figures = published[t][key].get(name);
          // Left out of the answer: nothing in the period.
          values.set(at(`${key} ${name}`, t), figures ? figures[m] : 0);
          if (!figures) structural.add(at(`${key} ${name}`, t));
          if (m === groupSize && figures?.every((v) => v === null)) {
            looksSmall.add(at(`${key} ${name}`, t));
            for (const p of truth.filter((p) => p[key] === name))
              looksSmall.add(at(partName(p), t));
          }
        }
      };
      shown('a', aNames);
      shown('b', bNames);
      values.set(at('total', t), published[t].totals[m]);
      if (published[t].a.size === 0) structural.add(at('total', t));
    }
    for (const [name, value] of values) {
      if (value !== null && value !== trueValues.get(name)) {
        throw new Error(`Published ${name} = ${value} is not the truth ${trueValues.get(name)}`);
      }
    }
    const found = recoverFrom(systemOfLines(lines, values, structural), trueValues, {
      looksSmall,
      small,
      matters: (u, value) => !u.startsWith('part ') || (value >= 1 && value <= small),
    });
    recovered.push(...found.map((r) => ({ ...r, measure: m })));
  }
  return recovered;
}
