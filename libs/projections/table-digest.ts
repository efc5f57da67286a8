import type { DataSource } from 'typeorm';

/** Heap pages per statement (64 MiB at the default 8 KiB page): a second or two of hashing. */
const PAGES_PER_CHUNK = 8_192;

/**
 * An order-independent digest of every row of a table: the row count and the sums of the two
 * 64-bit halves of each row's md5. A sum needs no sort and no string of every row (the
 * string_agg it replaces sorted 5 million hashes in one statement at scale L and ran past the
 * statement timeout; at some 30 million rows it would pass PostgreSQL's 1 GB value limit), so
 * the table is read in ranges of pages (TID range scans), each one short statement, all in one
 * repeatable-read snapshot so that the ranges add up to one consistent state.
 */
export async function tableDigest(
  dataSource: DataSource,
  table: string,
  pagesPerChunk = PAGES_PER_CHUNK,
): Promise<string> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query('SET TRANSACTION READ ONLY');
    const [{ pages }]: Array<{ pages: string }> = await manager.query(
      `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::text AS pages`,
      [table],
    );
    let [rows, high, low] = [0n, 0n, 0n];
    for (let from = 0; from < Number(pages); from += pagesPerChunk) {
      const [chunk]: Array<{ n: string; a: string; b: string }> = await manager.query(
        `SELECT count(*)::text AS n,
                coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
                coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
           FROM (SELECT md5(t::text) AS h FROM ${table} t
                  WHERE t.ctid >= format('(%s,0)', $1::bigint)::tid
                    AND t.ctid < format('(%s,0)', $2::bigint)::tid) s`,
        [from, from + pagesPerChunk],
      );
      rows += BigInt(chunk.n);
      high += BigInt(chunk.a);
      low += BigInt(chunk.b);
    }
    return `${rows}:${high}:${low}`;
  });
}
