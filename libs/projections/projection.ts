import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../event-store/event-envelope.js';

/**
 * A read model kept by folding events into tables. `apply` runs inside the transaction that
 * also moves the projection's checkpoint, so a crash can neither lose nor repeat an event.
 * Rows must be derived only from events (never from now() or serial ids): two rebuilds then
 * give the same checksum.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns: emptied on rebuild and covered by the checksum. */
  readonly tables: readonly string[];
  readonly eventTypes: readonly string[];
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
  /**
   * Optional: called once per batch, before its first `apply`, in the same transaction, with the
   * batch's events of this projection's types, so that what the applies will read can be loaded
   * with one statement instead of one per event (keyed by the manager, as in `flush`).
   */
  prepare?(events: readonly RecordedEvent[], manager: EntityManager): Promise<void>;
  /**
   * Optional: called once per batch, after its last `apply` and before the checkpoint moves, in
   * the same transaction. A projection that folds many events into one row may keep that row in
   * memory during the batch (keyed by the transaction's manager) and write it once here.
   */
  flush?(manager: EntityManager): Promise<void>;
}

export const PROJECTIONS = Symbol('PROJECTIONS');
