/** Signal categories (escalation.md, "Signals"). */
export const SIGNAL_CATEGORIES = [
  'agreements_not_kept',
  'professional_disagreement',
  'no_fitting_provision',
  'waiting_list',
  'family_disengaged',
  'regie_vacant',
  'safety',
  'other',
] as const;
export type SignalCategory = (typeof SIGNAL_CATEGORIES)[number];

/** What a brandpunt decision is (domain.md, "Maatwerk"). */
export const MAATWERK_KINDS = ['combinatie', 'afstemming_fasering', 'uitzondering'] as const;
export type MaatwerkKind = (typeof MAATWERK_KINDS)[number];

/** 0 signal (casusregisseur), 1 procesregie, 2 brandpunt. */
export type Level = 0 | 1 | 2;
export const TOP_LEVEL: Level = 2;

export type EscalationStatus = 'open' | 'resolved' | 'withdrawn';

/** Who holds a level: the casusregisseur, an appointed procesregisseur or brandpuntfunctionaris. */
export interface Holder {
  readonly professionalId: string;
  readonly name: string;
  readonly organisation: string;
}

/**
 * The two deadlines of the current level: `respondBy` (acknowledge at level 0, appoint at
 * levels 1 and 2) and `resolveBy` (resolve, or decide at level 2). ISO instants.
 */
export interface Deadlines {
  readonly respondBy: string;
  readonly resolveBy: string;
}

export interface Directive {
  readonly directiveId: string;
  readonly organisation: string;
  /** Sealed with the family's key. */
  readonly description: string;
  readonly dueDate: string;
  readonly status: 'open' | 'done';
  readonly completedAt: string | null;
  readonly overdue: boolean;
}

export interface Decision {
  /** Sealed with the family's key, as is the justification. */
  readonly solution: string;
  readonly maatwerk: MaatwerkKind;
  readonly justification: string;
  readonly budgetEuros: number | null;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly directives: readonly Directive[];
}

export interface LevelPeriod {
  readonly level: Level;
  readonly enteredAt: string;
  readonly leftAt: string | null;
}

export interface Escalation {
  readonly escalationId: string;
  readonly familyId: string;
  readonly teamId: string;
  readonly signalId: string;
  readonly category: SignalCategory;
  /** Sealed with the family's key. */
  readonly description: string;
  /** Absent before signals had one: read as case_team. */
  readonly confidentiality?: 'case_team' | 'need_to_know' | 'restricted';
  readonly automatic: boolean;
  /** What an automatic signal is about (`action-overdue:<actionId>`): one signal per cause. */
  readonly cause: string | null;
  readonly raisedBy: string;
  readonly raisedAt: string;
  readonly level: Level;
  readonly status: EscalationStatus;
  readonly holder: Holder | null;
  /** Everyone who held a level of this escalation: they keep seeing it. */
  readonly involved: readonly string[];
  readonly deadlines: Deadlines;
  /** The level's first duty (acknowledgement, appointment) was done at this moment. */
  readonly respondedAt: string | null;
  /** Deadlines at the top level that passed: recorded once each. */
  readonly missed: readonly string[];
  readonly periods: readonly LevelPeriod[];
  readonly decision: Decision | null;
  readonly closedAt: string | null;
  /** Sealed outcome (resolved) or reason (withdrawn). */
  readonly closingText: string | null;
  readonly reopened: number;
}
