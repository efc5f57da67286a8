/** What a concern is about (concerns.md "Categories"). */
export const CONCERN_CATEGORIES = [
  'school_absence',
  'rent_arrears',
  'debts',
  'neglect',
  'domestic_tension',
  'mental_health',
  'addiction',
  'loneliness',
  'nuisance',
  'safety',
  'other',
] as const;
export type ConcernCategory = (typeof CONCERN_CATEGORIES)[number];

/** How soon intake must take a concern up (working days per urgency, in the municipality's config). */
export const URGENCIES = ['normal', 'urgent', 'safety'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const CONTACT_KINDS = ['home_visit', 'letter', 'phone', 'via_network'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const CONTACT_OUTCOMES = ['reached', 'not_reached', 'declined'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/**
 * received -> in_triage -> linked | registered | outreach | dismissed; outreach -> registered |
 * linked | dismissed | closed (the subject declined). `destroyed`: its personal data was shredded.
 */
export type ConcernStatus =
  | 'received'
  | 'in_triage'
  | 'linked'
  | 'registered'
  | 'outreach'
  | 'dismissed'
  | 'closed'
  | 'destroyed';

/** Statuses in which nothing more happens unless intake reopens the concern. */
export const FINAL_STATUSES: readonly ConcernStatus[] = ['dismissed', 'closed'];

/**
 * The person a reporter worries about, as far as they know them: a BSN, or a family name with a
 * date of birth, and always the address that decides which team the concern goes to.
 */
export interface ConcernSubject {
  readonly bsn?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: string;
  readonly postcode: string;
  readonly houseNumber: string;
}

/** A professional as a concern's events name them: the reporter, intake, the contact person. */
export interface ConcernActor {
  readonly professionalId: string;
  readonly name: string;
  readonly organisation: string;
}

export type { ConcernDeadlines } from '../../config/municipalities.js';
