interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * For a migration that creates a projection's tables and fills them from the rows of the
 * projections that already fold the same events (`sources`): the new projection starts at
 * their checkpoint, not at the start, so a server after the upgrade neither replays the whole
 * history into it nor makes every read-your-writes wait for that replay. Call it before the
 * fill, in the migration's transaction: it locks the sources' checkpoints, so no batch of
 * theirs commits until the fill has read their rows, and the rows are exactly theirs at that
 * checkpoint. With several sources the earliest checkpoint is taken (a projection whose rows
 * only grow replays the rest as rows it already has); without a checkpoint of every source (a
 * new database) the projection starts at the start, as any new one does.
 */
export async function startAtSourcesCheckpoint(
  runner: Queryable,
  name: string,
  sources: readonly string[],
): Promise<void> {
  await runner.query(
    'SELECT name FROM projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE',
    [sources],
  );
  await runner.query(
    `INSERT INTO projection_checkpoints (name, commit_pos, prepare_pos)
     SELECT $1, commit_pos, prepare_pos FROM projection_checkpoints
      WHERE name = ANY($2::text[])
        AND (SELECT count(*) FROM projection_checkpoints WHERE name = ANY($2::text[])) = cardinality($2::text[])
      ORDER BY commit_pos, prepare_pos LIMIT 1
     ON CONFLICT (name) DO NOTHING`,
    [name, sources],
  );
}

/**
 * As startAtSourcesCheckpoint, for a projection whose fold does not forgive an event applied
 * twice (one that adds to counters): only when every source stands at one position, as they do
 * once the follow loop, which reads a page once for all, has caught up. Otherwise nothing: the
 * projection starts at the start and replays the history, as any new one does. True when it
 * starts at the sources' checkpoint, so that the migration fills its tables from theirs.
 */
export async function startAtSourcesCheckpointIfTogether(
  runner: Queryable,
  name: string,
  sources: readonly string[],
): Promise<boolean> {
  const rows = (await runner.query(
    `SELECT commit_pos::text || '-' || prepare_pos::text AS at FROM projection_checkpoints
      WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE`,
    [sources],
  )) as Array<{ at: string }>;
  if (rows.length !== sources.length || new Set(rows.map((r) => r.at)).size !== 1) return false;
  await startAtSourcesCheckpoint(runner, name, sources);
  return true;
}
