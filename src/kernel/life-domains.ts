/*
 * The shared language of the case: every capability speaks of life domains and of how
 * confidential what is written about one is. Nothing here imports anything else in src.
 */

/** Life domains after the Zelfredzaamheid-Matrix (domain.md). */
export const LIFE_DOMAINS = [
  'finances',
  'work_education',
  'daytime_activities',
  'housing',
  'domestic_relations',
  'parenting',
  'mental_health',
  'physical_health',
  'substance_use',
  'daily_living',
  'social_network',
  'participation',
  'justice',
  'safety',
  'education',
] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];

export const CONFIDENTIALITY_LEVELS = ['case_team', 'need_to_know', 'restricted'] as const;
export type Confidentiality = (typeof CONFIDENTIALITY_LEVELS)[number];

/** Health data and criminal data (GDPR art. 9/10) default to need_to_know. */
const SPECIAL_CATEGORY: readonly LifeDomain[] = [
  'mental_health',
  'physical_health',
  'substance_use',
  'justice',
];

export function defaultConfidentiality(domain: LifeDomain): Confidentiality {
  return SPECIAL_CATEGORY.includes(domain) ? 'need_to_know' : 'case_team';
}
