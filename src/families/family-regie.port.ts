import type { Regie } from '../kernel/regie.js';

/**
 * The regie of a family's active plan (NO_REGIE while none is open). Who may act on a family
 * depends on it, but the plan sits above the family: the plans capability provides this port
 * (plans/plan-family-regie.ts), so families never imports plans.
 */
export abstract class FamilyRegie {
  abstract of(familyId: string): Promise<Regie>;
}
