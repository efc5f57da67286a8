import type { Level } from '../escalations/escalation.model.js';
import type { ZaakIdentificatie } from './zgw-calls.js';

/**
 * What the mapping remembers of one family between events: ids and flags only. It never holds a
 * BSN or a name (the BSNs are opened by the caller for the one event that needs them), so the
 * outbox's projection may store it as it is.
 */
export interface ZgwFold {
  /** Present members known to have a BSN, in order of joining: each gets a belanghebbende rol. */
  readonly membersWithBsn: readonly string[];
  /** The case team's professionals, in order of joining: each gets a behandelaar rol. */
  readonly caseTeam: readonly string[];
  /** The zaak of the family's open plan; null before the first plan and after closure. */
  readonly zaak: OpenZaak | null;
  /** The latest zaak of the family, open or closed: a reopened plan's zaak follows it. */
  readonly lastZaak: ZaakIdentificatie | null;
  /** Every belanghebbende rol not destroyed, in any zaak: an erasure destroys them all. */
  readonly belanghebbenden: readonly {
    readonly zaak: ZaakIdentificatie;
    readonly memberId: string;
  }[];
  /** The family's escalations: their level, who holds it and how often the brandpunt decided. */
  readonly escalations: Readonly<Record<string, FamilyEscalation>>;
}

export interface OpenZaak {
  readonly identificatie: ZaakIdentificatie;
  readonly planId: string;
  /** The professional whose zaakcoordinator rol is current. */
  readonly casusregisseur: string | null;
}

export interface FamilyEscalation {
  readonly level: Level;
  /** Who holds the current level; at level 2 the brandpuntfunctionaris, who decides. */
  readonly holder: string | null;
  readonly decisions: number;
}

export const EMPTY_ZGW_FOLD: ZgwFold = Object.freeze({
  membersWithBsn: [],
  caseTeam: [],
  zaak: null,
  lastZaak: null,
  belanghebbenden: [],
  escalations: {},
});
