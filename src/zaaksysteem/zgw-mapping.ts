import { createHash } from 'node:crypto';
import { toDateString } from '#libs/clock/calendar.js';
import type { ErasureEvent } from '../erasure/erasure.events.js';
import { retentionEnds } from '../erasure/retention.timer.js';
import type { EscalationEvent } from '../escalations/escalation.events.js';
import type { Level } from '../escalations/escalation.model.js';
import type { FamilyEvent } from '../families/family.events.js';
import type { PlanEvent } from '../plans/plan.events.js';
import {
  type CreateRol,
  type DestroyRol,
  type RolKey,
  type ZaakIdentificatie,
  type ZgwCall,
  zaakIdentificatie,
} from './zgw-calls.js';
import type { FamilyEscalation, OpenZaak, ZgwFold } from './zgw-fold.js';
import type { ZgwSettings } from './zgw-settings.js';

/** The recorded events the zaaksysteem follows, as stored (their personal data sealed). */
export type ZgwEvent = PlanEvent | FamilyEvent | EscalationEvent | ErasureEvent;

/**
 * The events the mapping reads (for calls or for its fold); the outbox's projection needs no
 * other. Every other event leaves the fold as it is and needs no call.
 */
export const ZGW_EVENT_TYPES = [
  'gezinsplan.PlanOpened',
  'gezinsplan.PlanAgreed',
  'gezinsplan.RegieAssigned',
  'gezinsplan.PlanClosed',
  'family.FamilyRegistered',
  'family.MemberAdded',
  'family.MemberDeparted',
  'family.ProfessionalJoinedCaseTeam',
  'escalation.SignalRaised',
  'escalation.Escalated',
  'escalation.HolderAppointed',
  'escalation.Reopened',
  'escalation.DecisionTaken',
  'erasure.ErasureGranted',
  'erasure.RetentionExpired',
] as const satisfies readonly ZgwEvent['type'][];

/**
 * Opened BSNs, by member id, of the members `bsnsToOpen` named for this event; a member who is
 * absent has no BSN or can no longer be opened (erased). The mapping never opens sealed data.
 */
export type OpenedBsns = ReadonlyMap<string, string>;

export type ZgwMappingSettings = Pick<ZgwSettings, 'catalogi' | 'retentionYears'> & {
  readonly rsin: string;
};

export interface ZgwStep {
  readonly fold: ZgwFold;
  readonly calls: readonly ZgwCall[];
}

/** The fixed texts: never a name, never the plan's or the escalation's own words (zgw.md). */
export const ZGW_TEXTS = {
  omschrijving: 'Gezinsplan: integrale ondersteuning van een gezin',
  opened: 'Gezinsplan geopend',
  agreed: (version: number) =>
    version === 1 ? 'Gezinsplan vastgesteld' : `Versie ${version} van het gezinsplan vastgesteld`,
  escalated: 'Escalatie op brandpuntniveau (niveau 2)',
  closed: 'Gezinsplan afgesloten',
  zaakcoordinator: 'Casusregisseur van het gezinsplan',
  behandelaar: 'Professional in het casusteam',
  belanghebbende: 'Lid van het gezin',
  beslisser: 'Brandpuntfunctionaris: besluit in een escalatie',
  besluit: (escalationId: string) =>
    `Besluit van de brandpuntfunctionaris in escalatie ${escalationId}; ` +
    'de onderbouwing staat in het gezinsplan.',
} as const;

/** The Zaken API's medewerker identificatie holds at most 24 characters. */
const MEDEWERKER_ID_LENGTH = 24;

/**
 * A professional's id as medewerker identificatie: itself when it fits, else a stable digest of
 * it (an OIDC subject is often a 36-character UUID), the same on every call.
 */
export function medewerkerIdentificatie(professionalId: string): string {
  if (professionalId.length <= MEDEWERKER_ID_LENGTH) return professionalId;
  return createHash('sha256')
    .update(professionalId)
    .digest('base64url')
    .slice(0, MEDEWERKER_ID_LENGTH);
}

/** Dates as the rest of the product keeps them (UTC calendar days, libs/clock). */
const dateOf = (instant: string) => toDateString(new Date(instant));

/** The members whose BSN the caller must open before mapping `event` (none for most events). */
export function bsnsToOpen(fold: ZgwFold, event: ZgwEvent): readonly string[] {
  switch (event.type) {
    case 'family.FamilyRegistered':
      return event.data.members.map((m) => m.memberId);
    case 'family.MemberAdded':
      return [event.data.memberId];
    case 'gezinsplan.PlanOpened':
      return fold.membersWithBsn;
    default:
      return [];
  }
}

/**
 * The ZGW calls one recorded event needs, in the order they must be sent, and the fold after it
 * (zgw.md, "What is registered"). Pure: the outbox's projection stores both.
 */
export function zgwCalls(
  fold: ZgwFold,
  event: ZgwEvent,
  bsns: OpenedBsns,
  settings: ZgwMappingSettings,
): ZgwStep {
  const m = new Mapper(fold, settings);
  m.map(event, bsns);
  return { fold: m.fold, calls: m.calls };
}

class Mapper {
  readonly calls: ZgwCall[] = [];

  constructor(
    public fold: ZgwFold,
    private readonly settings: ZgwMappingSettings,
  ) {}

  map(event: ZgwEvent, bsns: OpenedBsns): void {
    switch (event.type) {
      case 'gezinsplan.PlanOpened':
        return this.openZaak(event.data.planId, event.data.openedAt, bsns);
      case 'gezinsplan.PlanAgreed':
        return this.status('agreed', event.data.agreedAt, ZGW_TEXTS.agreed(event.data.version));
      case 'gezinsplan.RegieAssigned':
        if (event.data.role === 'casusregie') this.casusregisseur(event.data.holder.professionalId);
        return;
      case 'gezinsplan.PlanClosed':
        return this.close(event.data.reason, event.data.closedAt);
      case 'family.FamilyRegistered':
        for (const member of event.data.members) this.memberJoined(member.memberId, bsns);
        return;
      case 'family.MemberAdded':
        return this.memberJoined(event.data.memberId, bsns);
      case 'family.MemberDeparted':
        return this.memberLeft(event.data.memberId, true);
      case 'family.ProfessionalJoinedCaseTeam':
        return this.professionalJoined(event.data.professionalId);
      case 'escalation.SignalRaised':
        return this.escalation(
          event.data.escalationId,
          0,
          event.data.holder?.professionalId ?? null,
        );
      case 'escalation.Escalated':
        return this.escalation(
          event.data.escalationId,
          event.data.toLevel,
          event.data.holder?.professionalId ?? null,
          event.data.escalatedAt,
        );
      case 'escalation.HolderAppointed':
        return this.holderAppointed(
          event.data.escalationId,
          event.data.level,
          event.data.holder.professionalId,
        );
      case 'escalation.Reopened':
        return this.escalation(
          event.data.escalationId,
          event.data.level,
          null,
          event.data.reopenedAt,
        );
      case 'escalation.DecisionTaken':
        return this.decision(event.data.escalationId, event.data.decidedAt);
      case 'erasure.ErasureGranted':
      case 'erasure.RetentionExpired':
        for (const subject of event.data.subjects) this.memberLeft(subject, false);
        return;
      default:
        // The plan's contents, signatures, consents, addresses, network members and the rest of
        // an escalation's course are not registered: the zaaksysteem gets the case, not its file.
        return;
    }
  }

  private emit(call: ZgwCall) {
    this.calls.push(call);
  }

  private update(change: Partial<ZgwFold>) {
    this.fold = { ...this.fold, ...change };
  }

  private get rsin() {
    return this.settings.rsin;
  }

  private get catalogi() {
    return this.settings.catalogi;
  }

  private openZaak(planId: string, openedAt: string, bsns: OpenedBsns) {
    const identificatie = zaakIdentificatie(planId);
    this.emit({
      kind: 'createZaak',
      zaak: identificatie,
      vervolgOp: this.fold.lastZaak,
      body: {
        identificatie,
        bronorganisatie: this.rsin,
        verantwoordelijkeOrganisatie: this.rsin,
        zaaktype: this.catalogi.zaaktype,
        omschrijving: ZGW_TEXTS.omschrijving,
        startdatum: dateOf(openedAt),
        vertrouwelijkheidaanduiding: 'vertrouwelijk',
      },
    });
    const zaak: OpenZaak = { identificatie, planId, casusregisseur: null };
    this.update({ zaak, lastZaak: identificatie });
    this.status('opened', openedAt, ZGW_TEXTS.opened);
    // Members whose BSN can no longer be opened (erased since) are dropped from the fold.
    const withBsn = this.fold.membersWithBsn.filter((id) => bsns.has(id));
    this.update({ membersWithBsn: withBsn });
    for (const memberId of withBsn)
      this.belanghebbende(zaak.identificatie, memberId, bsns.get(memberId)!);
    for (const professionalId of this.fold.caseTeam)
      this.behandelaar(zaak.identificatie, professionalId);
  }

  private status(
    phase: keyof ZgwSettings['catalogi']['statustypen'],
    at: string,
    toelichting: string,
  ) {
    const zaak = this.fold.zaak;
    if (!zaak) return;
    this.emit({
      kind: 'createStatus',
      zaak: zaak.identificatie,
      body: {
        statustype: this.catalogi.statustypen[phase],
        datumStatusGezet: new Date(at).toISOString(),
        statustoelichting: toelichting,
      },
    });
  }

  /** The resultaat and the archive fields go before the end status: it closes the zaak. */
  private close(reason: keyof ZgwSettings['catalogi']['resultaattypen'], closedAt: string) {
    const zaak = this.fold.zaak;
    if (!zaak) return;
    this.emit({
      kind: 'createResultaat',
      zaak: zaak.identificatie,
      body: { resultaattype: this.catalogi.resultaattypen[reason] },
    });
    this.emit({
      kind: 'updateZaak',
      zaak: zaak.identificatie,
      body: {
        archiefnominatie: 'vernietigen',
        archiefactiedatum: toDateString(retentionEnds(closedAt, this.settings.retentionYears)),
      },
    });
    this.status('closed', closedAt, ZGW_TEXTS.closed);
    this.update({ zaak: null });
  }

  private casusregisseur(professionalId: string) {
    const zaak = this.fold.zaak;
    if (!zaak || zaak.casusregisseur === professionalId) return;
    if (zaak.casusregisseur) {
      this.emit(destroy(zaak.identificatie, `zaakcoordinator:${zaak.casusregisseur}`));
    }
    this.emit(
      medewerker(
        zaak.identificatie,
        `zaakcoordinator:${professionalId}`,
        this.catalogi.roltypen.zaakcoordinator,
        ZGW_TEXTS.zaakcoordinator,
        professionalId,
      ),
    );
    this.update({ zaak: { ...zaak, casusregisseur: professionalId } });
  }

  private professionalJoined(professionalId: string) {
    if (this.fold.caseTeam.includes(professionalId)) return;
    this.update({ caseTeam: [...this.fold.caseTeam, professionalId] });
    if (this.fold.zaak) this.behandelaar(this.fold.zaak.identificatie, professionalId);
  }

  private behandelaar(zaak: ZaakIdentificatie, professionalId: string) {
    this.emit(
      medewerker(
        zaak,
        `behandelaar:${professionalId}`,
        this.catalogi.roltypen.behandelaar,
        ZGW_TEXTS.behandelaar,
        professionalId,
      ),
    );
  }

  /** Only a member with a BSN is sent (zgw.md): without one there is nothing to identify them by. */
  private memberJoined(memberId: string, bsns: OpenedBsns) {
    const bsn = bsns.get(memberId);
    if (bsn === undefined || this.fold.membersWithBsn.includes(memberId)) return;
    this.update({ membersWithBsn: [...this.fold.membersWithBsn, memberId] });
    if (this.fold.zaak) this.belanghebbende(this.fold.zaak.identificatie, memberId, bsn);
  }

  private belanghebbende(zaak: ZaakIdentificatie, memberId: string, bsn: string) {
    this.emit({
      kind: 'createRol',
      zaak,
      rol: `belanghebbende:${memberId}`,
      body: {
        betrokkeneType: 'natuurlijk_persoon',
        roltype: this.catalogi.roltypen.belanghebbende,
        roltoelichting: ZGW_TEXTS.belanghebbende,
        betrokkeneIdentificatie: { inpBsn: bsn },
      },
    });
    this.update({ belanghebbenden: [...this.fold.belanghebbenden, { zaak, memberId }] });
  }

  /**
   * A departure destroys the member's rol in the open zaak (a closed zaak keeps who was part of
   * the family then); an erasure destroys it in every zaak of the family.
   */
  private memberLeft(memberId: string, openZaakOnly: boolean) {
    const open = this.fold.zaak?.identificatie;
    const gone = this.fold.belanghebbenden.filter(
      (rol) => rol.memberId === memberId && (!openZaakOnly || rol.zaak === open),
    );
    for (const rol of gone) this.emit(destroy(rol.zaak, `belanghebbende:${memberId}`));
    this.update({
      membersWithBsn: this.fold.membersWithBsn.filter((id) => id !== memberId),
      belanghebbenden: this.fold.belanghebbenden.filter((rol) => !gone.includes(rol)),
    });
  }

  private setEscalation(escalationId: string, escalation: FamilyEscalation) {
    this.update({ escalations: { ...this.fold.escalations, [escalationId]: escalation } });
  }

  /** Entering level 2 (escalated or reopened there) is a status of the zaak. */
  private escalation(escalationId: string, level: Level, holder: string | null, at?: string) {
    const known = this.fold.escalations[escalationId];
    this.setEscalation(escalationId, {
      level,
      holder: holder ?? (known?.level === level ? known.holder : null),
      decisions: known?.decisions ?? 0,
    });
    if (level === 2 && at !== undefined) this.status('escalated', at, ZGW_TEXTS.escalated);
  }

  private holderAppointed(escalationId: string, level: Level, holder: string) {
    const known = this.fold.escalations[escalationId];
    if (!known || known.level !== level) return;
    this.setEscalation(escalationId, { ...known, holder });
  }

  /** The brandpuntfunctionaris's decision: a besluit on the zaak and the decider's rol. */
  private decision(escalationId: string, decidedAt: string) {
    const known = this.fold.escalations[escalationId];
    const zaak = this.fold.zaak;
    if (!known) return;
    const decisions = known.decisions + 1;
    this.setEscalation(escalationId, { ...known, decisions });
    if (!zaak) return;
    const besluit = `GZB-${escalationId}-${decisions}`;
    this.emit({
      kind: 'createBesluit',
      zaak: zaak.identificatie,
      body: {
        identificatie: besluit,
        verantwoordelijkeOrganisatie: this.rsin,
        besluittype: this.catalogi.besluittype,
        datum: dateOf(decidedAt),
        ingangsdatum: dateOf(decidedAt),
        toelichting: ZGW_TEXTS.besluit(escalationId),
      },
    });
    if (known.holder) {
      this.emit(
        medewerker(
          zaak.identificatie,
          `beslisser:${besluit}`,
          this.catalogi.roltypen.beslisser,
          ZGW_TEXTS.beslisser,
          known.holder,
        ),
      );
    }
  }
}

function destroy(zaak: ZaakIdentificatie, rol: RolKey): DestroyRol {
  return { kind: 'destroyRol', zaak, rol };
}

function medewerker(
  zaak: ZaakIdentificatie,
  rol: RolKey,
  roltype: string,
  roltoelichting: string,
  professionalId: string,
): CreateRol {
  return {
    kind: 'createRol',
    zaak,
    rol,
    body: {
      betrokkeneType: 'medewerker',
      roltype,
      roltoelichting,
      betrokkeneIdentificatie: { identificatie: medewerkerIdentificatie(professionalId) },
    },
  };
}
