import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { FamilyEvent } from './family.events.js';

type Element = Record<string, unknown>;

/** A row of family_views, as the projection writes it. */
export interface FamilyViewRow {
  family_id: string;
  team_id: string;
  municipality: string;
  members: Element[];
  network: Element[];
  case_team: Element[];
  consents: Element[];
  registered_at: string | Date;
  stream_version: number | string;
  address: string | null;
}

/** Merges `changes` into the element whose `key` is `id`, in place: history keeps its order. */
function patch(list: Element[], key: string, id: string, changes: Element): Element[] {
  return list.map((x) => (x[key] != null && String(x[key]) === id ? { ...x, ...changes } : x));
}

/**
 * One family event folded into its row: what the projection's statements did in SQL (append to
 * a jsonb list, merge into the element with an id), now in memory so that a batch writes each
 * row once. No row yet and not a registration: nothing (an UPDATE of no row).
 */
export function foldFamilyView(
  row: FamilyViewRow | undefined,
  recorded: RecordedEvent,
): FamilyViewRow | undefined {
  const event = recorded as unknown as RecordedEvent & FamilyEvent;
  if (event.type === 'family.FamilyRegistered') {
    // As the INSERT without ON CONFLICT did: a second registration is a poison event.
    if (row) throw new Error(`family_views already has family ${event.data.familyId}`);
    return {
      family_id: event.data.familyId,
      team_id: event.data.teamId,
      municipality: event.metadata.municipality,
      members: event.data.members.map((m) => ({ ...m, status: 'current' })),
      network: event.data.network.map((n) => ({ ...n })),
      case_team: [],
      consents: [],
      registered_at: event.metadata.occurredAt,
      stream_version: event.streamVersion,
      address: event.data.address ?? null,
    };
  }
  if (!row) return undefined;
  const next: FamilyViewRow = { ...row, stream_version: event.streamVersion };
  switch (event.type) {
    case 'family.AddressChanged':
      return { ...next, address: event.data.address };
    case 'family.ProfessionalJoinedCaseTeam': {
      const { familyId: _, ...professional } = event.data;
      return { ...next, case_team: [...row.case_team, professional] };
    }
    case 'family.MemberAdded': {
      const { memberId, role, personal } = event.data;
      const member = { memberId, role, personal, status: 'current' };
      return { ...next, members: [...row.members, member] };
    }
    case 'family.MemberDeparted':
      // The member stays listed (history is kept); only their status changes.
      return {
        ...next,
        members: patch(row.members, 'memberId', event.data.memberId, { status: 'departed' }),
      };
    case 'family.NetworkMemberAdded': {
      const { networkId, relation, personal } = event.data;
      return { ...next, network: [...row.network, { networkId, relation, personal }] };
    }
    case 'family.ConsentGranted': {
      const { familyId: _, ...consent } = event.data;
      return { ...next, consents: [...row.consents, { ...consent, withdrawn: false }] };
    }
    case 'family.ConsentWithdrawn':
      return {
        ...next,
        consents: patch(row.consents, 'consentId', event.data.consentId, { withdrawn: true }),
      };
    default:
      // MemberCameOfAge: ages are computed from the sealed date of birth and the clock.
      return next;
  }
}
