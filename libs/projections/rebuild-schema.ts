import type { DataSource, EntityManager } from 'typeorm';

const NAME = /^[a-z_][a-z0-9_]*$/;

function safe(name: string): string {
  if (!NAME.test(name)) throw new Error(`Unsafe identifier ${name}`);
  return name;
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * What would break if a table moved to another schema and a copy took its place: a view or a
 * foreign key follows the table it was made on (by oid), a trigger is not copied by LIKE, and a
 * serial column's default keeps pointing at the old table's sequence (dropped with it).
 */
async function obstacles(db: Queryable, schema: string, table: string): Promise<string[]> {
  const rows: Array<{ what: string }> = await db.query(
    `WITH t AS (SELECT format('%I.%I', $1::text, $2::text)::regclass AS oid)
     SELECT 'view ' || v.relname AS what
       FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class, t
      WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = t.oid AND v.oid <> t.oid
     UNION
     SELECT 'foreign key ' || conname FROM pg_constraint, t
      WHERE contype = 'f' AND (conrelid = t.oid OR confrelid = t.oid)
     UNION
     SELECT 'trigger ' || tgname FROM pg_trigger, t WHERE tgrelid = t.oid AND NOT tgisinternal
     UNION
     SELECT 'serial column ' || attname FROM pg_attrdef ad
       JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum, t
      WHERE ad.adrelid = t.oid AND pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%'`,
    [schema, table],
  );
  return rows.map((r) => r.what);
}

/** Each index of a table, by name, with its definition stripped of its name and table. */
async function indexShapes(
  db: Queryable,
  schema: string,
  table: string,
): Promise<Array<{ name: string; shape: string }>> {
  return db.query(
    `SELECT c.relname AS name,
            regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ', '\\1') AS shape
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = format('%I.%I', $1::text, $2::text)::regclass
      ORDER BY c.relname`,
    [schema, table],
  );
}

/**
 * Makes `target` hold an empty copy of each table of `live` (columns, defaults, constraints,
 * indexes under the live indexes' names, so the schema looks the same once swapped in) and a
 * projection_checkpoints table of its own, so that a rebuild there keeps its checkpoints apart
 * from the running servers'. Refuses tables that cannot be swapped safely.
 */
export async function createRebuildSchema(
  db: DataSource,
  live: string,
  target: string,
  tables: readonly string[],
): Promise<void> {
  const [l, t] = [safe(live), safe(target)];
  for (const table of tables) {
    const found = await obstacles(db, l, safe(table));
    if (found.length > 0) {
      throw new Error(
        `${table} cannot be rebuilt blue-green (${found.join(', ')}): rebuild it in place`,
      );
    }
  }
  await db.transaction(async (manager) => {
    await manager.query(`CREATE SCHEMA ${t}`);
    await manager.query(
      `CREATE TABLE ${t}.projection_checkpoints (LIKE ${l}.projection_checkpoints INCLUDING ALL)`,
    );
    const renames: Array<{ from: string; to: string }> = [];
    for (const table of tables) {
      await manager.query(`CREATE TABLE ${t}.${table} (LIKE ${l}.${table} INCLUDING ALL)`);
      const copies = await indexShapes(manager, t, table);
      for (const original of await indexShapes(manager, l, table)) {
        const copy = copies.findIndex((c) => c.shape === original.shape);
        if (copy < 0) throw new Error(`No copy of index ${original.name} on ${t}.${table}`);
        renames.push({ from: copies[copy].name, to: original.name });
        copies.splice(copy, 1);
      }
    }
    // Through names of our own first: a generated name may be another table's original one.
    for (const [i, r] of renames.entries()) {
      await manager.query(`ALTER INDEX ${t}.${safe(r.from)} RENAME TO rebuild_index_${i}`);
    }
    for (const [i, r] of renames.entries()) {
      await manager.query(`ALTER INDEX ${t}.rebuild_index_${i} RENAME TO ${safe(r.to)}`);
    }
  });
}

/**
 * Inside the caller's transaction (which holds the live checkpoints): moves each live table to
 * `retired` and the rebuilt one into its place, and gives the live checkpoints the rebuild's.
 */
export async function swapTables(
  manager: EntityManager,
  names: readonly string[],
  tables: readonly string[],
  schemas: { live: string; rebuilt: string; retired: string },
): Promise<void> {
  const { live, rebuilt, retired } = {
    live: safe(schemas.live),
    rebuilt: safe(schemas.rebuilt),
    retired: safe(schemas.retired),
  };
  if (tables.length > 0) {
    const all = tables.flatMap((table) => [`${live}.${safe(table)}`, `${rebuilt}.${table}`]);
    await manager.query(`LOCK TABLE ${all.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  }
  await manager.query(`CREATE SCHEMA ${retired}`);
  for (const table of tables) {
    await manager.query(`ALTER TABLE ${live}.${table} SET SCHEMA ${retired}`);
    await manager.query(`ALTER TABLE ${rebuilt}.${table} SET SCHEMA ${live}`);
  }
  await manager.query(
    `UPDATE ${live}.projection_checkpoints c
        SET commit_pos = r.commit_pos, prepare_pos = r.prepare_pos, status = r.status,
            error = r.error, failed_event = r.failed_event, updated_at = now()
       FROM ${rebuilt}.projection_checkpoints r
      WHERE c.name = r.name AND c.name = ANY($1)`,
    [names],
  );
}
