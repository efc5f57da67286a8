import { CONCERN_CATEGORIES, type ConcernCategory } from '../concerns/concern.model.js';
import { MIN_PUBLISHED_COUNT, protect, TableModel } from './suppression.js';

/** Where a concern stands for the monitor: what came of it, or that it is still open. */
export const CONCERN_OUTCOMES = ['linked', 'registered', 'dismissed', 'closed', 'open'] as const;
export type ConcernOutcome = (typeof CONCERN_OUTCOMES)[number];

/** One wijk's true counts of concerns, before suppression. Never leaves the server. */
export interface ConcernGroupCounts {
  readonly group: string;
  readonly categories: Readonly<Record<ConcernCategory, number>>;
  readonly outcomes: Readonly<Record<ConcernOutcome, number>>;
}

export interface PublishedConcernFigures {
  /** The wijk's concerns; null when withheld. */
  readonly concerns: number | null;
  readonly categories: Record<ConcernCategory, number | null>;
  readonly outcomes: Record<ConcernOutcome, number | null>;
  readonly suppressed: boolean;
  /** The figures withheld: `concerns`, `categories.<name>`, `outcomes.<name>`. */
  readonly suppressedCells: string[];
}

export interface ConcernMonitorRow extends PublishedConcernFigures {
  readonly group: string;
}

export interface ConcernMonitorReport {
  readonly groupBy: 'wijk';
  readonly measure: 'concerns';
  readonly minimumCount: number;
  readonly rows: ConcernMonitorRow[];
  readonly totals: PublishedConcernFigures;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The concerns per wijk, by category and by outcome, with the monitor's small-cell
 * suppression (suppression.ts). Both are partitions of the same concerns, so a row's
 * categories and its outcomes each add up to its number of concerns, and each column to its
 * total over the city; the model holds exactly these lines (the grand total as the sum of the
 * category totals and of the outcome totals; the sum of the rows' numbers follows from them),
 * so that a withheld count can be worked out neither within a row (a number of concerns minus
 * its other categories, or its outcomes minus its categories) nor across the wijken. A wijk
 * with fewer than 5 concerns publishes no count at all. Pure: the same counts, the same answer.
 */
export function buildConcernReport(
  groups: readonly ConcernGroupCounts[],
  threshold = MIN_PUBLISHED_COUNT,
): ConcernMonitorReport {
  const model = new TableModel();
  const rows = groups.map((g) => {
    const categories = CONCERN_CATEGORIES.map((c) => model.variable(g.categories[c], 0));
    const outcomes = CONCERN_OUTCOMES.map((o) => model.variable(g.outcomes[o], 0));
    const total = sum(CONCERN_CATEGORIES.map((c) => g.categories[c]));
    if (total !== sum(CONCERN_OUTCOMES.map((o) => g.outcomes[o]))) {
      throw new RangeError(`The categories and outcomes of ${g.group} count different concerns`);
    }
    const concerns = model.variable(total, 1);
    model.line(concerns, categories);
    model.line(concerns, outcomes);
    const members = [concerns, ...categories, ...outcomes];
    // Every count of a wijk is at most its number of concerns, which decides if it is small.
    model.group(members, concerns, members);
    return { categories, outcomes, concerns };
  });
  const columnOf = (pick: (r: (typeof rows)[number]) => number) => {
    const total = model.variable(sum(rows.map((r) => model.variables[pick(r)].value)), 1);
    model.line(total, rows.map(pick));
    return total;
  };
  const categoryTotals = CONCERN_CATEGORIES.map((_, i) => columnOf((r) => r.categories[i]));
  const outcomeTotals = CONCERN_OUTCOMES.map((_, i) => columnOf((r) => r.outcomes[i]));
  const grand = model.variable(sum(categoryTotals.map((v) => model.variables[v].value)), 2);
  model.line(grand, categoryTotals);
  model.line(grand, outcomeTotals);
  const { hidden } = protect(model, threshold);

  const published = (concerns: number, categories: number[], outcomes: number[]) => {
    const cells: string[] = [];
    const shown = (v: number, name: string) => {
      if (!hidden[v]) return model.variables[v].value;
      cells.push(name);
      return null;
    };
    const figures: PublishedConcernFigures = {
      concerns: shown(concerns, 'concerns'),
      categories: Object.fromEntries(
        CONCERN_CATEGORIES.map((c, i) => [c, shown(categories[i], `categories.${c}`)]),
      ) as Record<ConcernCategory, number | null>,
      outcomes: Object.fromEntries(
        CONCERN_OUTCOMES.map((o, i) => [o, shown(outcomes[i], `outcomes.${o}`)]),
      ) as Record<ConcernOutcome, number | null>,
      suppressed: false,
      suppressedCells: cells,
    };
    return { ...figures, suppressed: cells.length > 0 };
  };
  return {
    groupBy: 'wijk',
    measure: 'concerns',
    minimumCount: threshold,
    rows: groups.map((g, r) => ({
      group: g.group,
      ...published(rows[r].concerns, rows[r].categories, rows[r].outcomes),
    })),
    totals: published(grand, categoryTotals, outcomeTotals),
  };
}
