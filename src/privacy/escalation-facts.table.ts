import type { EntityManager } from 'typeorm';
import type { BulkUpsert } from '#libs/projections/bulk-write.js';
import type { EscalationFactsState } from './privacy-facts.fold.js';

/** One escalation's facts as a row (foldEscalationFacts keeps them, keyed by the escalation). */
export interface EscalationFactsRow {
  escalation_id: string;
  family_id: string;
  level: number;
  status: EscalationFactsState['status'];
  holder_id: string | null;
}

/**
 * A table of escalation facts: the lens's privacy_escalations, and the copy src/families keeps
 * for invariant 3. Both fold the same events with foldEscalationFacts, so they store them alike.
 */
export const escalationFactsUpsert = (table: string): BulkUpsert => ({
  table,
  columns: [
    { name: 'escalation_id', type: 'uuid' },
    { name: 'family_id', type: 'uuid' },
    { name: 'level', type: 'integer' },
    { name: 'status', type: 'text' },
    { name: 'holder_id', type: 'text' },
  ],
  conflict: ['escalation_id'],
  update: ['level', 'status', 'holder_id'],
});

export const escalationFactsRow = (
  escalationId: string,
  e: EscalationFactsState,
): EscalationFactsRow => ({
  escalation_id: escalationId,
  family_id: e.familyId,
  level: e.level,
  status: e.status,
  holder_id: e.holderId,
});

const escalationFactsOf = (row: EscalationFactsRow): EscalationFactsState => ({
  familyId: row.family_id,
  level: row.level,
  status: row.status,
  holderId: row.holder_id,
});

const TABLE = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads the stored facts of `ids` from `table` with one statement into `into` (undefined: no
 * row yet), for a batch's `prepare`.
 */
export async function loadEscalationFacts(
  manager: EntityManager,
  table: string,
  ids: readonly string[],
  into: Map<string, EscalationFactsState | undefined>,
): Promise<void> {
  if (!TABLE.test(table)) throw new Error(`Unsafe table ${table}`);
  if (ids.length === 0) return;
  const rows: EscalationFactsRow[] = await manager.query(
    `SELECT escalation_id, family_id, level, status, holder_id
       FROM ${table} WHERE escalation_id = ANY($1::uuid[])`,
    [ids],
  );
  for (const id of ids) into.set(id, undefined);
  for (const row of rows) into.set(row.escalation_id, escalationFactsOf(row));
}
