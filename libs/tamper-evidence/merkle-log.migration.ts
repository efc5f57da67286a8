import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Merkle tree over every stored event in global order (RFC 6962, libs/merkle), kept beside
 * the events in PostgreSQL whichever store holds them. Not a read model: no rebuild empties
 * these tables, since a tree recomputed from the events as they are now would bless whatever was
 * changed in them. Seals (signed roots) are what makes them trustworthy, not the tables.
 *
 * - merkle_log: the follower's state (how many leaves, the frontier, the last event's position);
 * - merkle_leaves: which event each leaf is (its place in the global order);
 * - merkle_nodes: every complete subtree's hash (level 0 the leaves), from which any root and
 *   proof up to the tree's size is computed with O(log n) look-ups;
 * - audit_seals: the signed statements of the tree's size and root (sealer.ts), each also
 *   written to a sink outside the database (`in_sink` once it is).
 */
export class MerkleLog1732000026000 implements MigrationInterface {
  name = 'MerkleLog1732000026000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE merkle_log (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        size bigint NOT NULL,
        frontier jsonb NOT NULL,
        position text NOT NULL
      );
      INSERT INTO merkle_log (size, frontier, position)
        VALUES (0, '{"size": 0, "hashes": []}', '-1--1');
      CREATE TABLE merkle_leaves (
        leaf bigint PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        stream_id text NOT NULL,
        stream_version integer NOT NULL,
        position text NOT NULL
      );
      CREATE INDEX merkle_leaves_stream ON merkle_leaves (stream_id, stream_version);
      CREATE TABLE merkle_nodes (
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL,
        PRIMARY KEY (level, idx)
      );
      CREATE TABLE audit_seals (
        seal_id uuid PRIMARY KEY,
        size bigint NOT NULL,
        root text NOT NULL,
        sealed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        statement text NOT NULL,
        up_to text NOT NULL,
        in_sink boolean NOT NULL DEFAULT false
      );
      CREATE INDEX audit_seals_size ON audit_seals (size, sealed_at);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_seals, merkle_nodes, merkle_leaves, merkle_log');
  }
}
