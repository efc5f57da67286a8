import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { BatchState, isUuid } from '#libs/projections/batch-state.js';
import { upsertRows, type BulkUpsert } from '#libs/projections/bulk-write.js';
import type { Projection } from '#libs/projections/projection.js';
import type { ZgwCall } from './zgw-calls.js';
import { EMPTY_ZGW_FOLD, type ZgwFold } from './zgw-fold.js';
import {
  bsnsToOpen,
  ZGW_EVENT_TYPES,
  zgwCalls,
  type ZgwEvent,
  type ZgwMappingSettings,
} from './zgw-mapping.js';
import { ZGW_SETTINGS, type ZgwSettings } from './zgw-settings.js';

/** One family's row of zgw_families, as the batch changes it. */
interface FamilyRow {
  fold: ZgwFold;
  /** Each member's sealed personal data (BSN included), by member id, as their events hold it. */
  sealedMembers: Record<string, string>;
  /** Calls emitted so far: the next call's place in the family's queue. */
  calls: number;
  changed: boolean;
}

interface OutboxRow {
  family_id: string;
  seq: number;
  call_key: string;
  zaak: string;
  call: ZgwCall;
  sealed_personal: string | null;
  recorded_at: string;
  /** The event's place in the global order (its commit), as text: JSON has no bigint. */
  event_commit: string;
}

interface Batch {
  families: Map<string, FamilyRow>;
  /** Plan and escalation ids to their family: loaded, and those this batch adds. */
  index: Map<string, string>;
  added: Map<string, string>;
  outbox: OutboxRow[];
}

/**
 * Keeps the zaaksysteem outbox: for each event the ZGW calls it needs (zgw-mapping.ts), in order
 * per family, each under a key derived from its event (`callKey`). It sends nothing: the
 * worker does, and records what it sent in tables this projection does not own, so a rebuild
 * that refills the outbox with the same keys sends nothing again.
 *
 * The mapping needs a member's BSN; the outbox must not hold one in plaintext. So the mapping is
 * handed every member's sealed personal data as it stands in the event, and each belanghebbende
 * call keeps it in `sealed_personal`: the worker opens it when it sends, skips a member without
 * a BSN, and finds nothing to send for one erased in the meantime (their key destroyed).
 */
@Injectable()
export class ZgwOutboxProjection implements Projection {
  readonly name = 'zaaksysteem-outbox';
  readonly tables = ['zgw_families', 'zgw_family_index', 'zgw_outbox'];
  readonly eventTypes = ZGW_EVENT_TYPES;

  private readonly batches = new BatchState<Batch>(() => ({
    families: new Map(),
    index: new Map(),
    added: new Map(),
    outbox: [],
  }));

  constructor(@Inject(ZGW_SETTINGS) private readonly settings: ZgwSettings) {}

  private get mapping(): ZgwMappingSettings {
    const { catalogi, retentionYears, connection } = this.settings;
    return { catalogi, retentionYears, rsin: connection.rsin };
  }

  /** The batch's families and index entries, in two statements. */
  async prepare(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const batch = this.batches.of(manager);
    const indexed = events.map((e) => indexedId(e as ZgwRecorded)).filter(isUuid);
    if (indexed.length > 0) {
      const rows: Array<{ id: string; family_id: string }> = await manager.query(
        'SELECT id, family_id FROM zgw_family_index WHERE id = ANY($1::uuid[])',
        [[...new Set(indexed)]],
      );
      for (const row of rows) batch.index.set(row.id, row.family_id);
    }
    const families = new Set(
      events.map(
        (e) => directFamily(e as ZgwRecorded) ?? batch.index.get(indexedId(e as ZgwRecorded) ?? ''),
      ),
    );
    await this.load(batch, [...families].filter(isUuid), manager);
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as ZgwRecorded;
    const batch = this.batches.of(manager);
    const familyId = directFamily(event) ?? batch.index.get(indexedId(event) ?? '');
    // An escalation or plan event of a family this projection never saw cannot be registered.
    if (!familyId) return;
    this.index(batch, event, familyId);
    if (!batch.families.has(familyId)) await this.load(batch, [familyId], manager);
    const row = batch.families.get(familyId)!;
    const sealed = this.sealedBsns(row, event);
    const step = zgwCalls(row.fold, event, sealed, this.mapping);
    row.fold = step.fold;
    row.changed = true;
    for (const call of step.calls) {
      batch.outbox.push({
        family_id: familyId,
        seq: row.calls++,
        call_key: callKey(event.metadata.eventId, call),
        zaak: call.zaak,
        ...withoutBsn(call),
        recorded_at: event.recordedAt,
        event_commit: String(event.position.commit),
      });
    }
    forgetMembers(row, event);
  }

  async flush(manager: EntityManager): Promise<void> {
    const batch = this.batches.take(manager);
    if (!batch) return;
    await upsertRows(
      manager,
      FAMILIES,
      [...batch.families]
        .filter(([, row]) => row.changed)
        .map(([family_id, row]) => ({
          family_id,
          fold: row.fold,
          sealed_members: row.sealedMembers,
          calls: row.calls,
        })),
    );
    await upsertRows(
      manager,
      INDEX,
      [...batch.added].map(([id, family_id]) => ({ id, family_id })),
    );
    await upsertRows(manager, OUTBOX, batch.outbox);
  }

  private async load(batch: Batch, familyIds: readonly string[], manager: EntityManager) {
    const wanted = familyIds.filter((id) => !batch.families.has(id));
    if (wanted.length > 0) {
      const rows: Array<{
        family_id: string;
        fold: ZgwFold;
        sealed_members: Record<string, string>;
        calls: number;
      }> = await manager.query(
        'SELECT family_id, fold, sealed_members, calls FROM zgw_families WHERE family_id = ANY($1::uuid[])',
        [wanted],
      );
      for (const row of rows) {
        batch.families.set(row.family_id, {
          fold: row.fold,
          sealedMembers: row.sealed_members,
          calls: row.calls,
          changed: false,
        });
      }
    }
    for (const id of wanted) {
      if (!batch.families.has(id)) {
        batch.families.set(id, {
          fold: EMPTY_ZGW_FOLD,
          sealedMembers: {},
          calls: 0,
          changed: true,
        });
      }
    }
  }

  private index(batch: Batch, event: ZgwRecorded, familyId: string) {
    const id =
      event.type === 'gezinsplan.PlanOpened'
        ? event.data.planId
        : event.type === 'escalation.SignalRaised'
          ? event.data.escalationId
          : undefined;
    if (id === undefined) return;
    batch.index.set(id, familyId);
    batch.added.set(id, familyId);
  }

  /**
   * For the members `bsnsToOpen` names: their sealed personal data. The mapping receives these
   * sealed texts where it expects BSNs, and only passes them on. Nothing is opened here: whether
   * a member has a BSN (or still has one: an erasure destroys it) is the worker's to find out
   * when it sends, so what this projection writes follows from the events alone, and a rebuild
   * after an erasure gives the same outbox as the one kept live.
   */
  private sealedBsns(row: FamilyRow, event: ZgwRecorded): Map<string, string> {
    for (const member of joiningMembers(event))
      row.sealedMembers[member.memberId] = member.personal;
    const sealed = new Map<string, string>();
    for (const memberId of bsnsToOpen(row.fold, event)) {
      const personal = row.sealedMembers[memberId];
      if (personal !== undefined) sealed.set(memberId, personal);
    }
    return sealed;
  }
}

type ZgwRecorded = RecordedEvent & ZgwEvent;

/** The family an event names itself; undefined for plan and escalation events that do not. */
function directFamily(event: ZgwRecorded): string | undefined {
  const data = event.data as { familyId?: string };
  return data.familyId;
}

/** The plan or escalation an event belongs to, when it does not name its family. */
function indexedId(event: ZgwRecorded): string | undefined {
  if (directFamily(event)) return undefined;
  const data = event.data as { planId?: string; escalationId?: string };
  return data.planId ?? data.escalationId;
}

function joiningMembers(event: ZgwRecorded): ReadonlyArray<{ memberId: string; personal: string }> {
  if (event.type === 'family.FamilyRegistered') return event.data.members;
  if (event.type === 'family.MemberAdded') return [event.data];
  return [];
}

/** A member who left or was erased needs no rol again: their sealed data goes from the row. */
function forgetMembers(row: FamilyRow, event: ZgwRecorded) {
  const gone =
    event.type === 'family.MemberDeparted'
      ? [event.data.memberId]
      : event.type === 'erasure.ErasureGranted' || event.type === 'erasure.RetentionExpired'
        ? event.data.subjects
        : [];
  for (const memberId of gone) delete row.sealedMembers[memberId];
}

/**
 * A call's key: its event and what it does, never its place in the event's list. A rebuild
 * derives the same calls from the same events, but were the mapping ever to add or drop a call
 * for an event, the calls after it keep their keys (and what was sent stays sent).
 */
function callKey(eventId: string, call: ZgwCall): string {
  return [eventId, call.kind, call.zaak, ...('rol' in call ? [call.rol] : [])].join('/');
}

/** A belanghebbende rol's call without the sealed data the mapping put where the BSN goes. */
function withoutBsn(call: ZgwCall): { call: ZgwCall; sealed_personal: string | null } {
  if (call.kind !== 'createRol' || call.body.betrokkeneType !== 'natuurlijk_persoon') {
    return { call, sealed_personal: null };
  }
  const { inpBsn, ...identificatie } = call.body.betrokkeneIdentificatie;
  const body = { ...call.body, betrokkeneIdentificatie: identificatie };
  return { call: { ...call, body } as ZgwCall, sealed_personal: inpBsn };
}

const FAMILIES: BulkUpsert = {
  table: 'zgw_families',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'fold', type: 'jsonb' },
    { name: 'sealed_members', type: 'jsonb' },
    { name: 'calls', type: 'integer' },
  ],
  conflict: ['family_id'],
  update: ['fold', 'sealed_members', 'calls'],
};

const INDEX: BulkUpsert = {
  table: 'zgw_family_index',
  columns: [
    { name: 'id', type: 'uuid' },
    { name: 'family_id', type: 'uuid' },
  ],
  conflict: ['id'],
  update: ['family_id'],
};

const OUTBOX: BulkUpsert = {
  table: 'zgw_outbox',
  columns: [
    { name: 'family_id', type: 'uuid' },
    { name: 'seq', type: 'integer' },
    { name: 'call_key', type: 'text' },
    { name: 'zaak', type: 'text' },
    { name: 'call', type: 'jsonb' },
    { name: 'sealed_personal', type: 'text' },
    { name: 'recorded_at', type: 'timestamptz' },
    { name: 'event_commit', type: 'bigint' },
  ],
};
