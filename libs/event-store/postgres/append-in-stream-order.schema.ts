import { APPEND_EVENTS_V3 } from './append-without-notify.schema.js';

const BODY_START = '\nBEGIN\n';
/** 'EvSt': the first key of every stream's advisory lock. */
const STREAM_LOCK_CLASS = 0x45765374;

/**
 * append_events that takes its transaction id only after the writers of its stream before it
 * have ended. The global order is (transaction_id, seq) and a transaction id is handed out at
 * a transaction's first write. In V3 the first write is the event_streams upsert, which can take
 * an id and then wait for a concurrent writer of the same stream (two first appends racing on
 * the unique index, or an UPDATE that follows a concurrent one): the waiter then appends version
 * n + 1 under a lower transaction id than version n, and a subscriber sees the stream's events
 * out of version order (seen in CI in the contract test, about 1 in 30 rounds of six racing
 * first appends). A transaction-scoped advisory lock on the stream is taken before any write,
 * so before the transaction has an id: a later writer of the stream gets its id only after the
 * earlier one committed, and transaction ids of one stream rise with its versions. Writers of
 * different streams still never wait for each other (but for a rare hash collision of two
 * stream ids, which only serialises them). The two-key form keeps these locks apart from the
 * single-key advisory locks used elsewhere (the migration lock).
 */
export const APPEND_EVENTS_V4 = APPEND_EVENTS_V3.replace(
  BODY_START,
  `${BODY_START}  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(p_stream));\n`,
);

if (APPEND_EVENTS_V4 === APPEND_EVENTS_V3) {
  throw new Error('append_events of migration 1732000000005 has no body where it was expected');
}
