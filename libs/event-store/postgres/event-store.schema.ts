/**
 * The first append_events (migration 1732000000000): its parameters, result and body, after
 * "CREATE [OR REPLACE] FUNCTION". Kept apart so the hash-chain migration can restore it on down.
 * Do not change it: EVENT_STORE_SCHEMA_UP must stay the text migration 1732000000000 applied.
 */
const APPEND_EVENTS_V1_DEFINITION = `append_events(
  p_stream text, p_mode text, p_expected bigint,
  p_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[],
  p_recorded_at timestamptz
) RETURNS TABLE (next_version bigint, tx xid8, last_seq bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := cardinality(p_ids);
  v_new bigint;
  v_current bigint;
BEGIN
  IF p_mode = 'no_stream' THEN
    INSERT INTO event_streams (stream_id, version) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING version INTO v_new;
  ELSIF p_mode = 'exact' THEN
    UPDATE event_streams SET version = version + v_count
      WHERE stream_id = p_stream AND version = p_expected
      RETURNING version INTO v_new;
  ELSIF p_mode = 'stream_exists' THEN
    UPDATE event_streams SET version = version + v_count
      WHERE stream_id = p_stream
      RETURNING version INTO v_new;
  ELSE
    INSERT INTO event_streams (stream_id, version) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_id) DO UPDATE SET version = event_streams.version + v_count
      RETURNING version INTO v_new;
  END IF;

  IF v_new IS NULL THEN
    SELECT version INTO v_current FROM event_streams WHERE stream_id = p_stream;
    RAISE EXCEPTION 'wrong expected version' USING
      ERRCODE = 'EV409', DETAIL = coalesce(v_current::text, '');
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, recorded_at)
    SELECT e.id, p_stream, v_new - v_count + e.ord, e.type, e.schema_version, e.data, e.metadata, p_recorded_at
      FROM unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata)
        WITH ORDINALITY AS e(id, type, schema_version, data, metadata, ord)
      ORDER BY e.ord
    RETURNING events.transaction_id, events.seq
  )
  SELECT v_new, pg_current_xact_id(), max(inserted.seq) FROM inserted;

  PERFORM pg_notify('events_appended', '');
END
$fn$;
`;

/** Restores the first append_events over a later version of it (same signature). */
export const APPEND_EVENTS_V1 = `CREATE OR REPLACE FUNCTION ${APPEND_EVENTS_V1_DEFINITION}`;

/**
 * Schema of the Postgres event store. Global order is (transaction_id, seq): a sequence value is
 * taken at insert time, not at commit, so ordering by seq alone would let a reader pass an event
 * whose transaction commits late. Readers only look below pg_snapshot_xmin, where every
 * transaction has ended, so nothing can still appear behind their checkpoint.
 */
export const EVENT_STORE_SCHEMA_UP = `
CREATE TABLE event_streams (
  stream_id   text PRIMARY KEY,
  version     bigint NOT NULL
);

CREATE TABLE events (
  transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
  seq            bigint      GENERATED ALWAYS AS IDENTITY,
  event_id       uuid        NOT NULL,
  stream_id      text        NOT NULL,
  stream_version bigint      NOT NULL,
  type           text        NOT NULL,
  schema_version integer     NOT NULL,
  data           jsonb       NOT NULL,
  metadata       jsonb       NOT NULL,
  recorded_at    timestamptz NOT NULL,
  PRIMARY KEY (transaction_id, seq),
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_recorded_at ON events (recorded_at);

-- One round trip per append. The streams row is the lock that serialises writers of one
-- stream; writers of different streams never wait for each other.
CREATE FUNCTION ${APPEND_EVENTS_V1_DEFINITION}`;

export const EVENT_STORE_SCHEMA_DOWN = `
DROP FUNCTION append_events;
DROP TABLE events;
DROP TABLE event_streams;
`;
