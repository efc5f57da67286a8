/*
 * Who holds which regie of a family (domain.md, "Regie roles"). The regie is state of the family
 * plan (plans/ assigns it); the privacy lens, the family's write guard and the escalations
 * decide with it, so its shape is shared language.
 */

export const REGIE_ROLES = ['casusregie', 'perspectiefregie', 'procesregie'] as const;
export type RegieRole = (typeof REGIE_ROLES)[number];

export interface RegieHolder {
  readonly professionalId: string;
  readonly name: string;
  readonly organisation: string;
}

/** Who holds which regie (domain.md, "Regie roles"); casusregie is vacant until assigned. */
export interface Regie {
  readonly casusregisseur: RegieHolder | null;
  readonly perspectiefregisseur: RegieHolder | null;
  readonly procesregisseur: RegieHolder | null;
  /** Set while an agreed plan has no casusregisseur: a vacancy is itself a stagnation signal. */
  readonly casusregieVacantSince: string | null;
}

export const NO_REGIE: Regie = Object.freeze({
  casusregisseur: null,
  perspectiefregisseur: null,
  procesregisseur: null,
  casusregieVacantSince: null,
});

export const REGIE_HOLDER_FIELD: Record<
  RegieRole,
  'casusregisseur' | 'perspectiefregisseur' | 'procesregisseur'
> = {
  casusregie: 'casusregisseur',
  perspectiefregie: 'perspectiefregisseur',
  procesregie: 'procesregisseur',
};

/** The regie after `holder` takes `role`: a casusregisseur ends a vacancy. */
export function assignRegie(regie: Regie, role: RegieRole, holder: RegieHolder): Regie {
  const next = { ...regie, [REGIE_HOLDER_FIELD[role]]: holder };
  return role === 'casusregie' ? { ...next, casusregieVacantSince: null } : next;
}

/** Who holds the regie of the family's active plan (`Regie`, ids only). */
export interface RegieHolders {
  readonly casusregisseur: { readonly professionalId: string } | null;
  readonly perspectiefregisseur: { readonly professionalId: string } | null;
  readonly procesregisseur: { readonly professionalId: string } | null;
}
