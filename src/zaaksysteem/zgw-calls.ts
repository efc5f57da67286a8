/*
 * The ZGW calls the outbox holds (zgw.md, "How it is sent"). A call names the zaak it belongs to
 * by our own `identificatie`, never by URL: the URLs are the zaaksysteem's answers, known only
 * once the worker has sent the create, so a call carries the request body without them and
 * zgw-request.ts puts them in when it is sent. The bodies' field names, enums and formats are
 * those of the Zaken API 1.5.1 and the Besluiten API 1.0.2 (reference/zgw).
 */

/** Our own stable id of a zaak, unique per bronorganisatie: `GZP-` + plan id (at most 40). */
export type ZaakIdentificatie = string;
export const zaakIdentificatie = (planId: string): ZaakIdentificatie => `GZP-${planId}`;

/**
 * Names one rol of a zaak so that its destruction can find the URL its creation got back:
 * `zaakcoordinator:<professional>`, `behandelaar:<professional>`, `belanghebbende:<member>`,
 * `beslisser:<besluit>`.
 */
export type RolKey = string;

/** Zaken API `Zaak` (POST /zaken) without relevanteAndereZaken, whose URLs the worker knows. */
export interface ZaakBody {
  readonly identificatie: ZaakIdentificatie;
  readonly bronorganisatie: string;
  readonly verantwoordelijkeOrganisatie: string;
  readonly zaaktype: string;
  readonly omschrijving: string;
  /** format date (YYYY-MM-DD). */
  readonly startdatum: string;
  readonly vertrouwelijkheidaanduiding: 'vertrouwelijk';
}

/** Zaken API `Status` (POST /statussen) without its zaak URL. */
export interface StatusBody {
  readonly statustype: string;
  /** format date-time. */
  readonly datumStatusGezet: string;
  readonly statustoelichting: string;
}

/** Zaken API `medewerker_Rol`: a professional, by id only (their name stays here). */
export interface MedewerkerRolBody {
  readonly betrokkeneType: 'medewerker';
  readonly roltype: string;
  readonly roltoelichting: string;
  readonly betrokkeneIdentificatie: { readonly identificatie: string };
}

/** Zaken API `natuurlijk_persoon_Rol`: a family member, by BSN only (zgw.md). */
export interface NatuurlijkPersoonRolBody {
  readonly betrokkeneType: 'natuurlijk_persoon';
  readonly roltype: string;
  readonly roltoelichting: string;
  readonly betrokkeneIdentificatie: { readonly inpBsn: string };
}

export type RolBody = MedewerkerRolBody | NatuurlijkPersoonRolBody;

/** Zaken API `Resultaat` (POST /resultaten) without its zaak URL. */
export interface ResultaatBody {
  readonly resultaattype: string;
}

/** Zaken API `PatchedZaak` (PATCH /zaken/{uuid}): the archive fields only. */
export interface ZaakArchiefBody {
  readonly archiefnominatie: 'vernietigen';
  /** format date. */
  readonly archiefactiedatum: string;
}

/** Besluiten API `Besluit` (POST /besluiten) without its zaak URL. */
export interface BesluitBody {
  /** Our own id (at most 50), so a create whose answer was lost is found again. */
  readonly identificatie: string;
  readonly verantwoordelijkeOrganisatie: string;
  readonly besluittype: string;
  /** format date. */
  readonly datum: string;
  /** format date. */
  readonly ingangsdatum: string;
  readonly toelichting: string;
}

interface OnZaak {
  readonly zaak: ZaakIdentificatie;
}

export interface CreateZaak extends OnZaak {
  readonly kind: 'createZaak';
  readonly body: ZaakBody;
  /** A reopened plan's zaak follows the previous one (relevanteAndereZaken, aard `vervolg`). */
  readonly vervolgOp: ZaakIdentificatie | null;
}
export interface CreateStatus extends OnZaak {
  readonly kind: 'createStatus';
  readonly body: StatusBody;
}
export interface CreateRol extends OnZaak {
  readonly kind: 'createRol';
  readonly rol: RolKey;
  readonly body: RolBody;
}
export interface DestroyRol extends OnZaak {
  readonly kind: 'destroyRol';
  readonly rol: RolKey;
}
export interface CreateResultaat extends OnZaak {
  readonly kind: 'createResultaat';
  readonly body: ResultaatBody;
}
export interface UpdateZaak extends OnZaak {
  readonly kind: 'updateZaak';
  readonly body: ZaakArchiefBody;
}
export interface CreateBesluit extends OnZaak {
  readonly kind: 'createBesluit';
  readonly body: BesluitBody;
}

export type ZgwCall =
  CreateZaak | CreateStatus | CreateRol | DestroyRol | CreateResultaat | UpdateZaak | CreateBesluit;

export type ZgwCallKind = ZgwCall['kind'];
