import type { DataSource } from 'typeorm';

/** Bytes of the table, its TOAST included, that the first statement hashes: about a second. */
const FIRST_CHUNK_BYTES = 64 * 1024 * 1024;
/** What each later statement aims at, well below any statement_timeout a server is given. */
const TARGET_CHUNK_MS = 1_000;

/**
 * An order-independent digest of every row of a table: the row count and the sums of the two
 * 64-bit halves of each row's md5. A sum needs no sort and no string of every row (the
 * string_agg it replaces sorted 5 million hashes in one statement at scale L and ran past the
 * statement timeout; at some 30 million rows it would pass PostgreSQL's 1 GB value limit), so
 * the table is read in ranges of pages (TID range scans), each one short statement, all in one
 * repeatable-read snapshot so that the ranges add up to one consistent state.
 *
 * A range's cost is not its heap pages: plan documents live mostly in TOAST, and at scale L a
 * fixed 8,192 heap pages of plan_versions detoasted and hashed for longer than the 10 s
 * statement timeout. So the first range holds about FIRST_CHUNK_BYTES of the whole table and
 * each next one is sized from how long the last took.
 */
export async function tableDigest(
  dataSource: DataSource,
  table: string,
  firstPages?: number,
): Promise<string> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    const [size]: Array<{ pages: string; heap: string; total: string }> = await manager.query(
      `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::text AS pages,
              pg_relation_size($1::regclass)::text AS heap,
              pg_table_size($1::regclass)::text AS total`,
      [table],
    );
    const pages = Number(size.pages);
    let span = firstPages ?? firstSpan(pages, Number(size.heap), Number(size.total));
    let [rows, high, low] = [0n, 0n, 0n];
    for (let from = 0; from < pages; from += span) {
      const started = performance.now();
      const [chunk]: Array<{ n: string; a: string; b: string }> = await manager.query(
        `SELECT count(*)::text AS n,
                coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
                coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
           FROM (SELECT md5(t::text) AS h FROM ${table} t
                  WHERE t.ctid >= format('(%s,0)', $1::bigint)::tid
                    AND t.ctid < format('(%s,0)', $2::bigint)::tid) s`,
        [from, from + span],
      );
      rows += BigInt(chunk.n);
      high += BigInt(chunk.a);
      low += BigInt(chunk.b);
      if (firstPages === undefined) span = nextSpan(span, performance.now() - started);
    }
    return `${rows}:${high}:${low}`;
  });
}

function firstSpan(pages: number, heapBytes: number, totalBytes: number): number {
  if (pages === 0 || totalBytes === 0) return 1;
  return Math.max(1, Math.floor((pages * FIRST_CHUNK_BYTES) / Math.max(heapBytes, totalBytes)));
}

/** Grows or shrinks the range towards TARGET_CHUNK_MS, by at most a factor of four a step. */
function nextSpan(span: number, elapsedMs: number): number {
  const factor = Math.min(4, Math.max(0.25, TARGET_CHUNK_MS / Math.max(elapsedMs, 1)));
  return Math.max(1, Math.round(span * factor));
}
