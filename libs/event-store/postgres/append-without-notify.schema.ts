import { EVENT_HASHES_SCHEMA_UP } from './event-hashes.schema.js';

const FUNCTION_START = 'CREATE OR REPLACE FUNCTION append_events(';
const NOTIFY_LINE = "\n  PERFORM pg_notify('events_appended', '');\n";

/** append_events as migration 1732000000003 created it (with the hash chain and the NOTIFY). */
export const APPEND_EVENTS_V2 = (() => {
  const start = EVENT_HASHES_SCHEMA_UP.indexOf(FUNCTION_START);
  const end = EVENT_HASHES_SCHEMA_UP.indexOf('$fn$;', start) + '$fn$;'.length;
  return EVENT_HASHES_SCHEMA_UP.slice(start, end);
})();

/**
 * The same function without the NOTIFY. A transaction that has sent a NOTIFY takes a
 * cluster-wide lock at commit and holds it through the WAL flush, so every append committed one
 * after another and group commit never happened (B1: 300 appends/s against 1,200 for plain
 * INSERTs with 16 writers). The store now sends the wake-up itself, after the commit,
 * coalesced (PostgresEventStore.wakeOtherProcesses).
 */
export const APPEND_EVENTS_V3 = APPEND_EVENTS_V2.replace(NOTIFY_LINE, '\n');

if (APPEND_EVENTS_V3 === APPEND_EVENTS_V2 || !APPEND_EVENTS_V2.startsWith(FUNCTION_START)) {
  throw new Error('append_events of migration 1732000000003 is not where it was expected');
}
