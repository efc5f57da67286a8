import { APPEND_EVENTS_V1 } from './event-store.schema.js';

/**
 * The hash chain of the Postgres event store (tamper evidence; the format is described in
 * libs/event-store/hash-chain.ts). event_hash is the only place that builds the canonical text:
 * append_events, the backfill and verification (PostgresEventStore.verifyStream) all call it.
 *
 * Applied to a store that already holds events, so it backfills them in stream order. Appends
 * take event_streams' row lock first and then write events; the migration locks both tables in
 * that same order, so a running writer delays it instead of deadlocking with it. An append that
 * another process starts while the migration holds the lock waits inside the old append_events
 * and then fails on hash NOT NULL, writing nothing (tested by hand): the caller sees an error
 * once, and its retry links correctly. Only a rolling deploy has such writers.
 */
export const EVENT_HASHES_SCHEMA_UP = `
LOCK TABLE event_streams, events IN ACCESS EXCLUSIVE MODE;

ALTER TABLE events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;
ALTER TABLE event_streams ADD COLUMN last_hash bytea;

CREATE FUNCTION event_hash(
  p_prev bytea, p_event_id uuid, p_stream text, p_version bigint, p_type text,
  p_schema_version integer, p_data jsonb, p_metadata jsonb, p_recorded_at timestamptz
) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
RETURN sha256(coalesce(p_prev, ''::bytea) || convert_to(
  p_event_id::text
    || chr(31) || to_jsonb(p_stream)::text
    || chr(31) || p_version::text
    || chr(31) || to_jsonb(p_type)::text
    || chr(31) || p_schema_version::text
    || chr(31) || p_data::text
    || chr(31) || p_metadata::text
    || chr(31) || to_char(p_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'UTF8'));

-- Backfill: each stream from version 0, every event linked to the one before it.
DO $backfill$
DECLARE
  r record;
  v_stream text;
  v_prev bytea;
  v_hash bytea;
BEGIN
  FOR r IN
    SELECT transaction_id, seq, event_id, stream_id, stream_version, type, schema_version,
           data, metadata, recorded_at
      FROM events ORDER BY stream_id, stream_version
  LOOP
    IF v_stream IS DISTINCT FROM r.stream_id THEN
      v_stream := r.stream_id;
      v_prev := NULL;
    END IF;
    v_hash := event_hash(v_prev, r.event_id, r.stream_id, r.stream_version, r.type,
      r.schema_version, r.data, r.metadata, r.recorded_at);
    UPDATE events SET prev_hash = v_prev, hash = v_hash
      WHERE transaction_id = r.transaction_id AND seq = r.seq;
    v_prev := v_hash;
  END LOOP;
END
$backfill$;

UPDATE event_streams s SET last_hash = e.hash
  FROM events e WHERE e.stream_id = s.stream_id AND e.stream_version = s.version;

ALTER TABLE events ALTER COLUMN hash SET NOT NULL;

-- Same signature and result as before, so running code calls it unchanged. prev_hash is the
-- stream's last_hash, read under the row lock that already serialises writers of the stream.
CREATE OR REPLACE FUNCTION append_events(
  p_stream text, p_mode text, p_expected bigint,
  p_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[],
  p_recorded_at timestamptz
) RETURNS TABLE (next_version bigint, tx xid8, last_seq bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := cardinality(p_ids);
  v_new bigint;
  v_current bigint;
  v_prev bytea;
  v_prevs bytea[] := '{}';
  v_hashes bytea[] := '{}';
BEGIN
  -- RETURNING gives the row after the statement; last_hash is not changed by it, so it is the
  -- hash of the stream's last event (NULL for a new stream).
  IF p_mode = 'no_stream' THEN
    INSERT INTO event_streams (stream_id, version) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING version, last_hash INTO v_new, v_prev;
  ELSIF p_mode = 'exact' THEN
    UPDATE event_streams SET version = version + v_count
      WHERE stream_id = p_stream AND version = p_expected
      RETURNING version, last_hash INTO v_new, v_prev;
  ELSIF p_mode = 'stream_exists' THEN
    UPDATE event_streams SET version = version + v_count
      WHERE stream_id = p_stream
      RETURNING version, last_hash INTO v_new, v_prev;
  ELSE
    INSERT INTO event_streams (stream_id, version) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_id) DO UPDATE SET version = event_streams.version + v_count
      RETURNING version, last_hash INTO v_new, v_prev;
  END IF;

  IF v_new IS NULL THEN
    SELECT version INTO v_current FROM event_streams WHERE stream_id = p_stream;
    RAISE EXCEPTION 'wrong expected version' USING
      ERRCODE = 'EV409', DETAIL = coalesce(v_current::text, '');
  END IF;

  FOR i IN 1 .. v_count LOOP
    v_prevs[i] := v_prev;
    v_prev := event_hash(v_prev, p_ids[i], p_stream, v_new - v_count + i, p_types[i],
      p_schema_versions[i], p_data[i], p_metadata[i], p_recorded_at);
    v_hashes[i] := v_prev;
  END LOOP;

  UPDATE event_streams SET last_hash = v_prev WHERE stream_id = p_stream;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata,
                        recorded_at, prev_hash, hash)
    SELECT e.id, p_stream, v_new - v_count + e.ord, e.type, e.schema_version, e.data, e.metadata,
           p_recorded_at, e.prev_hash, e.hash
      FROM unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata, v_prevs, v_hashes)
        WITH ORDINALITY AS e(id, type, schema_version, data, metadata, prev_hash, hash, ord)
      ORDER BY e.ord
    RETURNING events.transaction_id, events.seq
  )
  SELECT v_new, pg_current_xact_id(), max(inserted.seq) FROM inserted;

  PERFORM pg_notify('events_appended', '');
END
$fn$;
`;

export const EVENT_HASHES_SCHEMA_DOWN = `
LOCK TABLE event_streams, events IN ACCESS EXCLUSIVE MODE;
${APPEND_EVENTS_V1}
DROP FUNCTION event_hash(bytea, uuid, text, bigint, text, integer, jsonb, jsonb, timestamptz);
ALTER TABLE events DROP COLUMN hash, DROP COLUMN prev_hash;
ALTER TABLE event_streams DROP COLUMN last_hash;
`;
