import type { Confidentiality, LifeDomain } from '../kernel/life-domains.js';
import { NO_REGIE, type Regie } from '../kernel/regie.js';
import type { Sealed } from '#libs/personal-data/sealed.js';

/** Lifecycle and achievement status as in HL7 FHIR Goal. */
export const GOAL_LIFECYCLE = [
  'proposed',
  'active',
  'achieved',
  'not_achieved',
  'cancelled',
] as const;
export type GoalLifecycle = (typeof GOAL_LIFECYCLE)[number];
export const OPEN_LIFECYCLE: readonly GoalLifecycle[] = ['proposed', 'active'];

export const ACHIEVEMENT_STATUS = [
  'in_progress',
  'improving',
  'worsening',
  'no_change',
  'achieved',
  'not_attainable',
] as const;
export type AchievementStatus = (typeof ACHIEVEMENT_STATUS)[number];

export const CLOSURE_REASONS = [
  'goals_achieved',
  'family_moved',
  'transferred',
  'family_declined_support',
  'other',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export type AssigneeKind = 'member' | 'network' | 'professional';
export interface Assignee {
  readonly kind: AssigneeKind;
  readonly id: string;
  /** For a professional: their organisation, which must sign while the action is open. */
  readonly organisation?: string;
}

export interface Goal<Text extends string = Sealed> {
  readonly goalId: string;
  /** Sealed texts (libs/personal-data): the family's words are personal data. */
  readonly familyWording: Text;
  readonly professionalWording: Text | null;
  readonly concerns: readonly string[];
  readonly lifeDomain: LifeDomain;
  readonly targetDate: string | null;
  readonly confidentiality: Confidentiality;
  readonly lifecycleStatus: GoalLifecycle;
  readonly achievementStatus: AchievementStatus;
  /** Who wrote it: the author may read it at every confidentiality level. */
  readonly authorId?: string;
}

export interface Action<Text extends string = Sealed> {
  readonly actionId: string;
  readonly goalId: string;
  readonly description: Text;
  readonly assignee: Assignee;
  readonly dueDate: string;
  readonly confidentiality: Confidentiality;
  readonly status: 'open' | 'done' | 'cancelled';
  readonly completedAt: string | null;
  readonly authorId?: string;
}

export interface ProgressNote<Text extends string = Sealed> {
  readonly noteId: string;
  readonly goalId: string | null;
  readonly text: Text;
  readonly confidentiality: Confidentiality;
  readonly evaluation: boolean;
  readonly writtenAt: string;
  readonly authorId: string;
}

export type PartyKind = 'member' | 'organisation';
export interface Party {
  readonly kind: PartyKind;
  readonly id: string;
}

export interface Signature {
  readonly party: Party;
  readonly signedBy: string;
  readonly signedAt: string;
}

export interface PlanVersionSummary {
  readonly version: number;
  readonly status: 'draft' | 'agreed' | 'closed';
  readonly agreedAt: string | null;
}

export type PlanStatus = 'draft' | 'agreed' | 'closed';

export interface Plan {
  readonly planId: string;
  readonly status: PlanStatus;
  readonly version: number;
  readonly openedAt: string;
  readonly goals: readonly Goal[];
  readonly actions: readonly Action[];
  readonly notes: readonly ProgressNote[];
  readonly signatures: readonly Signature[];
  readonly versions: readonly PlanVersionSummary[];
  readonly firstAgreedAt: string | null;
  readonly lastEvaluationAt: string | null;
  readonly closedAt: string | null;
  readonly closureReason: ClosureReason | null;
  /** Absent in documents written before regie existed: read through `regieOf`. */
  readonly regie?: Regie;
  /** Latest agreement, progress note or completed action: the no-progress signal counts from it. */
  readonly lastProgressAt?: string | null;
}

export const regieOf = (plan: Plan): Regie => plan.regie ?? NO_REGIE;

export const sameParty = (a: Party, b: Party) => a.kind === b.kind && a.id === b.id;
