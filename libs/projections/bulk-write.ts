import type { EntityManager } from 'typeorm';

/** A column of a bulk write: its name and its SQL type, as jsonb_to_recordset needs it. */
export interface BulkColumn {
  readonly name: string;
  readonly type: string;
}

export interface BulkUpsert {
  readonly table: string;
  readonly columns: readonly BulkColumn[];
  /** The conflict target; omitted: a plain insert. */
  readonly conflict?: readonly string[];
  /** Columns set from the new row on conflict; empty: DO NOTHING. */
  readonly update?: readonly string[];
  /** Condition of the DO UPDATE (on the existing row, named by the table). */
  readonly updateWhere?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const TYPE = /^[a-z_][a-z0-9_ ]*(\[\])?$/;

/**
 * Rows per statement: one parameter carries them all as JSON, so a statement's size (and the
 * memory PostgreSQL needs to parse it) grows with this, while each statement costs a round trip.
 */
const ROWS_PER_STATEMENT = 1_000;

/**
 * Writes many rows with one statement per thousand: the rows travel as one jsonb array and
 * jsonb_to_recordset turns it into a relation (a set-based write instead of one round trip and
 * one parse per row). Keys of a row are column names; a missing key is NULL. A conflict target
 * must not occur twice among the rows (PostgreSQL refuses to update a row twice in one
 * statement): callers fold their rows per key first.
 */
export async function upsertRows(
  manager: EntityManager,
  spec: BulkUpsert,
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  for (const c of spec.columns) {
    if (!IDENTIFIER.test(c.name) || !TYPE.test(c.type)) throw new Error(`Unsafe column ${c.name}`);
  }
  if (!IDENTIFIER.test(spec.table)) throw new Error(`Unsafe table ${spec.table}`);
  const names = spec.columns.map((c) => c.name).join(', ');
  const record = spec.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  let onConflict = '';
  if (spec.conflict) {
    const target = `(${spec.conflict.join(', ')})`;
    onConflict = spec.update?.length
      ? `ON CONFLICT ${target} DO UPDATE SET ${spec.update.map((c) => `${c} = excluded.${c}`).join(', ')}` +
        (spec.updateWhere ? ` WHERE ${spec.updateWhere}` : '')
      : `ON CONFLICT ${target} DO NOTHING`;
  }
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await manager.query(
      `INSERT INTO ${spec.table} (${names})
       SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${record}) ${onConflict}`,
      [JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))],
    );
  }
}

/** Deletes the rows whose `column` is one of `keys`, in one statement. */
export async function deleteRows(
  manager: EntityManager,
  table: string,
  column: string,
  type: string,
  keys: readonly unknown[],
): Promise<void> {
  if (keys.length === 0) return;
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(column) || !TYPE.test(type)) {
    throw new Error(`Unsafe delete from ${table}`);
  }
  await manager.query(`DELETE FROM ${table} WHERE ${column} = ANY($1::${type}[])`, [keys]);
}

export interface BulkCounters {
  readonly table: string;
  /** The counter's key: the table's primary key. */
  readonly keys: readonly BulkColumn[];
  /** The integer column that is added to. */
  readonly count: string;
}

/**
 * Adds each row's count to its counter and deletes the counters that are back at zero, one
 * statement of each per thousand rows: a counter's row then exists exactly when it is not zero,
 * whatever the batches were, so a rebuild (other batch boundaries) leaves the same rows as the
 * live projection. A key must not occur twice among the rows.
 */
export async function addToCounters(
  manager: EntityManager,
  spec: BulkCounters,
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...spec.keys, { name: spec.count, type: 'integer' }];
  for (const c of columns) {
    if (!IDENTIFIER.test(c.name) || !TYPE.test(c.type)) throw new Error(`Unsafe column ${c.name}`);
  }
  if (!IDENTIFIER.test(spec.table)) throw new Error(`Unsafe table ${spec.table}`);
  const keys = spec.keys.map((c) => c.name).join(', ');
  const record = columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const same = spec.keys.map((c) => `c.${c.name} = r.${c.name}`).join(' AND ');
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = [JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT))];
    await manager.query(
      `INSERT INTO ${spec.table} AS c (${keys}, ${spec.count})
       SELECT ${keys}, ${spec.count} FROM jsonb_to_recordset($1::jsonb) AS r(${record})
       ON CONFLICT (${keys}) DO UPDATE SET ${spec.count} = c.${spec.count} + excluded.${spec.count}`,
      chunk,
    );
    await manager.query(
      `DELETE FROM ${spec.table} c USING jsonb_to_recordset($1::jsonb) AS r(${record})
        WHERE ${same} AND c.${spec.count} = 0`,
      chunk,
    );
  }
}
