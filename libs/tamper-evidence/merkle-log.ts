import type { DataSource, EntityManager } from 'typeorm';
import type { ChainEntry, EventStore } from '../event-store/event-store.port.js';
import { formatPosition, parsePosition, START } from '../event-store/position.js';
import { Wakeup } from '../event-store/wakeup.js';
import { isTransientDatabaseError, retryDelayMs } from '../database/database-unavailable.js';
import {
  appendLeaf,
  frontierFromJSON,
  frontierRoot,
  frontierToJSON,
  type Frontier,
  type FrontierJSON,
} from '../merkle/merkle-frontier.js';
import { leafHash } from '../merkle/merkle-hash.js';
import type { MerkleNode } from '../merkle/merkle-nodes.js';

export interface MerkleLogOptions {
  /** Events appended to the tree per transaction. */
  readonly batchSize: number;
  /** How long an idle follower waits for an append hint before it looks anyway. */
  readonly pollMs: number;
  readonly logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called after every batch with the tree's new size (a sealer decides whether to seal). */
  readonly onGrown?: (size: number) => void;
}

/** The tree's head: its size, root and the position of the last event in it. */
export interface MerkleHead {
  readonly size: number;
  readonly root: Buffer;
  readonly position: string;
}

/**
 * The leaf of an event: its stored hash-chain hash (libs/event-store/hash-chain.ts), which covers
 * everything the store keeps of it and its predecessor in the stream. Hashed as a leaf
 * (0x00 prefix) so that no leaf can pass for an inner node.
 */
export const eventLeaf = (entry: Pick<ChainEntry, 'hash'>): Buffer => leafHash(entry.hash);

/**
 * Appends every stored event, in global order, to the Merkle tree kept in PostgreSQL, as the
 * events are appended (a follower, so the append path pays nothing). Each batch is one
 * transaction that locks merkle_log and checks it is still where the batch began: several
 * instances may follow at once, and none appends an event twice. Never rebuilt: see the
 * migration.
 */
export class MerkleLog {
  private readonly wakeup = new Wakeup();
  private abort?: AbortController;
  private loop?: Promise<void>;
  private unsubscribe?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly options: MerkleLogOptions,
  ) {}

  async head(manager: Pick<EntityManager, 'query'> = this.dataSource): Promise<MerkleHead> {
    const [row] = (await manager.query('SELECT frontier, position FROM merkle_log')) as Array<{
      frontier: FrontierJSON;
      position: string;
    }>;
    const frontier = frontierFromJSON(row.frontier);
    return { size: frontier.size, root: frontierRoot(frontier), position: row.position };
  }

  /** Appends what is readable now; how many events it appended. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const appended = await this.appendBatch();
      if (appended === 0) return total;
      total += appended;
    }
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.unsubscribe = this.store.onAppended(() => this.wakeup.notify());
    this.loop = this.follow(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.unsubscribe?.();
    await this.loop;
    this.loop = undefined;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const appended = await this.catchUp();
        failures = 0;
        if (appended === 0) await this.wakeup.wait(this.options.pollMs, signal);
      } catch (error) {
        failures += 1;
        // An outage: one warning when it starts, without a stack (the database is the
        // problem, not this code). Anything else is logged every time.
        if (!isTransientDatabaseError(error)) {
          this.options.logger?.error({ err: error, failures }, 'merkle log batch failed; retrying');
        } else if (failures === 1) {
          this.options.logger?.warn(
            { reason: (error as Error).message },
            'merkle log waiting for the database; retrying',
          );
        }
        await this.wakeup.wait(retryDelayMs(failures, this.options.pollMs, 5_000), signal);
      }
    }
  }

  /** One batch in one transaction; 0 when there was nothing new (or another instance took it). */
  private async appendBatch(): Promise<number> {
    const [{ position }] = (await this.dataSource.query(
      'SELECT position FROM merkle_log',
    )) as Array<{
      position: string;
    }>;
    const after = parsePosition(position) ?? START;
    const entries = await this.store.readChain({ after, maxCount: this.options.batchSize });
    if (entries.length === 0) return 0;
    // The tree's new size, or 0 when another instance appended this batch first.
    const size = await this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(
        'SELECT frontier, position FROM merkle_log FOR UPDATE',
      )) as Array<{ frontier: FrontierJSON; position: string }>;
      // Another instance appended this batch meanwhile: read again from where it left the log.
      if (row.position !== position) return 0;
      let frontier: Frontier = frontierFromJSON(row.frontier);
      const nodes: MerkleNode[] = [];
      const leaves: Array<Record<string, unknown>> = [];
      for (const entry of entries) {
        const step = appendLeaf(frontier, eventLeaf(entry));
        leaves.push({
          leaf: frontier.size,
          event_id: entry.eventId,
          stream_id: entry.streamId,
          stream_version: entry.streamVersion,
          position: formatPosition(entry.position),
        });
        nodes.push(...step.completed);
        frontier = step.frontier;
      }
      await insertLeaves(manager, leaves);
      await insertNodes(manager, nodes);
      await manager.query('UPDATE merkle_log SET size = $1, frontier = $2, position = $3', [
        frontier.size,
        JSON.stringify(frontierToJSON(frontier)),
        formatPosition(entries[entries.length - 1].position),
      ]);
      return frontier.size;
    });
    if (size === 0) return 0;
    this.options.onGrown?.(size);
    return entries.length;
  }
}

const ROWS_PER_STATEMENT = 1_000;

async function insertLeaves(
  manager: EntityManager,
  leaves: ReadonlyArray<Record<string, unknown>>,
) {
  for (let i = 0; i < leaves.length; i += ROWS_PER_STATEMENT) {
    await manager.query(
      `INSERT INTO merkle_leaves (leaf, event_id, stream_id, stream_version, position)
       SELECT leaf, event_id, stream_id, stream_version, position
         FROM jsonb_to_recordset($1::jsonb)
           AS r(leaf bigint, event_id uuid, stream_id text, stream_version integer, position text)`,
      [JSON.stringify(leaves.slice(i, i + ROWS_PER_STATEMENT))],
    );
  }
}

async function insertNodes(manager: EntityManager, nodes: readonly MerkleNode[]) {
  for (let i = 0; i < nodes.length; i += ROWS_PER_STATEMENT) {
    const slice = nodes.slice(i, i + ROWS_PER_STATEMENT);
    await manager.query(
      `INSERT INTO merkle_nodes (level, idx, hash)
       SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
      [slice.map((n) => n.level), slice.map((n) => n.index), slice.map((n) => n.hash)],
    );
  }
}
