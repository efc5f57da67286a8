import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import type { AppendSubject, WriterStreams } from './append-subjects.js';

/** int8, jsonb, json: the parsers Emmett's dumbo sets on the process-wide pg module. */
const GLOBAL_TYPES = [20, 3802, 114] as const;
type Parsers = Array<(value: string) => unknown>;

const parsersNow = (): Parsers => GLOBAL_TYPES.map((oid) => pg.types.getTypeParser(oid, 'text'));
const install = (parsers: Parsers) =>
  GLOBAL_TYPES.forEach((oid, i) => pg.types.setTypeParser(oid, parsers[i]));

/**
 * Emmett's PostgreSQL event store on its own pool. Creating it makes dumbo replace pg's global
 * type parsers (int8 becomes BigInt, JSON is parsed with its own reviver), which would change
 * what the product reads in this same process (TypeORM, the event store and every later suite).
 * So Emmett's parsers are installed only while Emmett runs (`enter`/`leave`), and the original
 * ones otherwise.
 */
export async function emmettSubject(
  url: string,
  streams: WriterStreams,
  poolSize: number,
): Promise<AppendSubject & { enter(): void; leave(): void }> {
  const original = parsersNow();
  // The store on a pool we own: the pool size is ours, and we know it is ended.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'emmett' });
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(url, {
    connectionOptions: { pool },
    schema: { autoMigration: 'None' },
  });
  const emmett = parsersNow();
  install(original);
  const enter = () => install(emmett);
  const leave = () => install(original);
  enter();
  try {
    await store.schema.migrate();
  } finally {
    leave();
  }
  const versions: Array<bigint | undefined> = streams.writers.map(() => undefined);
  return {
    name: 'Emmett append',
    enter,
    leave,
    async append(writer) {
      const { type, data, metadata } = streams.event(writer);
      const result = await store.appendToStream(
        streams.writers[writer].streamId,
        [{ type, data, metadata: { ...metadata } }],
        { expectedStreamVersion: versions[writer] ?? STREAM_DOES_NOT_EXIST },
      );
      versions[writer] = result.nextExpectedStreamVersion;
    },
    async close() {
      await store.close();
      await pool.end();
      leave();
    },
  };
}
