/**
 * A plan_notes row as the note its event carried. jsonb, as the documents that held the notes
 * before: the same keys in the same order, so a read answers byte for byte as it did.
 */
export const NOTE_JSON = `jsonb_build_object(
    'noteId', n.note_id, 'goalId', n.goal_id, 'text', n.text,
    'confidentiality', n.confidentiality, 'evaluation', n.evaluation,
    'writtenAt', to_char(n.written_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'authorId', n.author_id)`;

/**
 * The notes of plan `plan` up to (not including) position `upTo`, in order, as one jsonb array:
 * a subquery of the statement that reads the plan, so a plan read stays one round trip.
 */
export const notesOf = (plan: string, upTo?: string) =>
  `coalesce((SELECT jsonb_agg(${NOTE_JSON} ORDER BY n.seq) FROM plan_notes n
     WHERE n.plan_id = ${plan}${upTo ? ` AND n.seq < ${upTo}` : ''}), '[]'::jsonb)`;
