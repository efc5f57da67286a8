import type { AuthUser } from '#libs/auth/auth-user.js';
import type { Viewer } from '../privacy/viewer.js';
import { inPoolOf } from './escalation-access.js';
import type { Escalation } from './escalation.model.js';

/**
 * How much of an escalation's dossier a viewer gets (privacy.md, "escalation dossier"): all of
 * it for the casusregisseur, the regisseurs who hold or held a level of it and auditors; a
 * summary without texts for the case team, the level's pool while nobody holds the level
 * (to take it up; once someone does, the holder reads it) and organisations with a directive; level and age only for the SLT team lead; nothing for SLT colleagues.
 */
export type DossierMode = 'full' | 'summary' | 'level-age' | 'none';

export function dossierMode(
  e: Escalation,
  viewer: Viewer | undefined,
  user: AuthUser,
): DossierMode {
  if (e.involved.includes(user.sub)) return 'full';
  if (viewer?.has('casusregisseur', 'procesregisseur', 'brandpuntfunctionaris', 'auditor')) {
    return 'full';
  }
  if (viewer?.has('case_team', 'perspectiefregisseur')) return 'summary';
  if (inPoolOf(e, user)) return 'summary';
  if (e.decision?.directives.some((d) => d.organisation === user.organisation)) return 'summary';
  if (viewer?.has('team_lead')) return 'level-age';
  return 'none';
}

/** A summary reader sees the signal's texts only when it is shared with the whole case team. */
export const summaryReadsTexts = (e: Escalation) =>
  (e.confidentiality ?? 'case_team') === 'case_team';
