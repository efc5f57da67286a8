import type { EscalationFacts, PlanFacts } from './monitor-facts.fold.js';

/**
 * The figures kept per (year, month, team), as monitor_counts names them: `plans` is the
 * number of plans counted (closed ones too), whose only use is that a group with a plan is a
 * group of the month; `escalations:<level>` the open escalations raised at each level.
 */
export const FIGURE = {
  plans: 'plans',
  activeCases: 'activeCases',
  plansAgreed: 'plansAgreed',
  goalsAchieved: 'goalsAchieved',
  goalsAssessed: 'goalsAssessed',
  escalations: (level: number) => `escalations:${level}`,
} as const;

/** What one plan or escalation adds to the kept figures. */
export interface Contribution {
  readonly year: number;
  readonly month: number;
  readonly teamId: string;
  readonly figures: ReadonlyArray<readonly [string, number]>;
  /** Days from opening to first agreement of an agreed plan; null otherwise. */
  readonly agreementDays: number | null;
}

const DAY = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(iso) / DAY);

/** The UTC calendar month of an instant, as the monitor's periods are (monitor-period.ts). */
function monthOf(iso: string) {
  const at = new Date(iso);
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 };
}

/**
 * A family's current (or last) plan counts in the month it was opened, with the family's team;
 * a plan of a family that was never registered is not counted.
 */
export function planContribution(
  teamId: string | null,
  plan: PlanFacts | null,
): Contribution | null {
  if (teamId === null || plan === null || plan.openedAt === null) return null;
  const agreed = plan.firstAgreedAt !== null;
  return {
    ...monthOf(plan.openedAt),
    teamId,
    figures: [
      [FIGURE.plans, 1],
      [FIGURE.activeCases, plan.status === 'closed' ? 0 : 1],
      [FIGURE.plansAgreed, agreed ? 1 : 0],
      [FIGURE.goalsAchieved, plan.goalsAchieved],
      [FIGURE.goalsAssessed, plan.goalsAssessed],
    ],
    agreementDays: agreed ? dayNumber(plan.firstAgreedAt!) - dayNumber(plan.openedAt) : null,
  };
}

/** An open escalation counts at its level in the month it was raised, with its own team. */
export function escalationContribution(escalation: EscalationFacts | null): Contribution | null {
  if (!escalation?.open || escalation.raisedAt === null) return null;
  return {
    ...monthOf(escalation.raisedAt),
    teamId: escalation.teamId,
    figures: [[FIGURE.escalations(escalation.level), 1]],
    agreementDays: null,
  };
}

export interface CountDelta {
  year: number;
  month: number;
  team_id: string;
  figure: string;
  count: number;
}

export interface DaysDelta {
  year: number;
  month: number;
  team_id: string;
  days: number;
  plans: number;
}

/** What a batch changes in the kept figures: after minus before, per counter. */
export class FigureDeltas {
  private readonly counts = new Map<string, CountDelta>();
  private readonly days = new Map<string, DaysDelta>();

  /** Adds a contribution (sign 1) or takes it away (sign -1). */
  add(contribution: Contribution | null, sign: 1 | -1): void {
    if (!contribution) return;
    const { year, month, teamId: team_id } = contribution;
    for (const [figure, n] of contribution.figures) {
      const key = JSON.stringify([year, month, team_id, figure]);
      const row = this.counts.get(key) ?? { year, month, team_id, figure, count: 0 };
      row.count += sign * n;
      this.counts.set(key, row);
    }
    if (contribution.agreementDays === null) return;
    const days = contribution.agreementDays;
    const key = JSON.stringify([year, month, team_id, days]);
    const row = this.days.get(key) ?? { year, month, team_id, days, plans: 0 };
    row.plans += sign;
    this.days.set(key, row);
  }

  /** The counters that change, each once (a statement may not update a row twice). */
  changed(): { counts: CountDelta[]; days: DaysDelta[] } {
    return {
      counts: [...this.counts.values()].filter((r) => r.count !== 0),
      days: [...this.days.values()].filter((r) => r.plans !== 0),
    };
  }
}
