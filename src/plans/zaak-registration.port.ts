/**
 * The plan's registration in the municipality's zaaksysteem, as the casusregisseur sees it in
 * the plan view: the zaak's identificatie, and whether everything recorded about it has been
 * sent. Provided by the zaaksysteem capability when it is configured; absent otherwise.
 */
export interface ZaakRegistration {
  readonly identificatie: string;
  readonly upToDate: boolean;
}

export interface ZaakRegistrations {
  ofPlan(familyId: string, planId: string): Promise<ZaakRegistration>;
}

export const ZAAK_REGISTRATIONS = Symbol('ZAAK_REGISTRATIONS');
