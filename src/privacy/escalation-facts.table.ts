import type { BulkUpsert } from '../../libs/projections/bulk-write.js';
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

export const escalationFactsOf = (
  row: Omit<EscalationFactsRow, 'escalation_id'>,
): EscalationFactsState => ({
  familyId: row.family_id,
  level: row.level,
  status: row.status,
  holderId: row.holder_id,
});
