import type { DataSource } from 'typeorm';
import type { Concern } from './concern.evolve.js';

export interface Match {
  readonly familyId: string;
  readonly certainty: 'exact' | 'possible';
}

/**
 * The family each concern is about, for intake: the family it was linked to or registered as;
 * otherwise a suggestion from the blind indexes, exact by BSN, possible by family name with
 * date of birth or by address. A family intake rejected for a concern is not proposed again.
 */
export async function concernMatches(
  dataSource: DataSource,
  concerns: readonly Concern[],
): Promise<Map<string, Match>> {
  const matches = new Map<string, Match>();
  const open: Concern[] = [];
  for (const c of concerns) {
    if (c.familyId) matches.set(c.concernId, { familyId: c.familyId, certainty: 'exact' });
    else open.push(c);
  }
  if (open.length === 0) return matches;
  const rows: Array<{ concern_id: string; family_id: string; exact: boolean }> =
    await dataSource.query(
      `SELECT s.concern_id, f.family_id, bool_or(s.kind = 'bsn') AS exact
         FROM concern_subject_digests s
         JOIN concern_family_digests f ON f.digest = s.digest AND f.kind = s.kind
         JOIN unnest($1::uuid[], $2::text[]) AS r(concern_id, rejected) ON r.concern_id = s.concern_id
        WHERE NOT (f.family_id::text = ANY(string_to_array(r.rejected, ',')))
        GROUP BY s.concern_id, f.family_id
        ORDER BY s.concern_id, bool_or(s.kind = 'bsn') DESC, f.family_id`,
      [open.map((c) => c.concernId), open.map((c) => c.rejectedFamilies.join(','))],
    );
  for (const row of rows) {
    if (matches.has(row.concern_id)) continue;
    matches.set(row.concern_id, {
      familyId: row.family_id,
      certainty: row.exact ? 'exact' : 'possible',
    });
  }
  return matches;
}
