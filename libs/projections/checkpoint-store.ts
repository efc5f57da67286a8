import type { DataSource, EntityManager } from 'typeorm';
import { START, type Position } from '../event-store/position.js';

export interface CheckpointRow {
  name: string;
  position: Position;
  status: 'running' | 'failed';
  error: string | null;
  failedEvent: unknown;
}

interface Row {
  name: string;
  commit_pos: string;
  prepare_pos: string;
  status: 'running' | 'failed';
  error: string | null;
  failed_event: unknown;
}

const toCheckpoint = (row: Row): CheckpointRow => ({
  name: row.name,
  position: { commit: BigInt(row.commit_pos), prepare: BigInt(row.prepare_pos) },
  status: row.status,
  error: row.error,
  failedEvent: row.failed_event,
});

/** Checkpoints live in the read-model database, next to the tables they describe. */
/** A projection without a checkpoint row yet: running, from the start. */
const notStarted = (name: string): CheckpointRow => ({
  name,
  position: START,
  status: 'running',
  error: null,
  failedEvent: null,
});

export class CheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  async ensure(name: string): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT DO NOTHING',
      [name],
    );
  }

  async get(
    name: string,
    manager: EntityManager | DataSource = this.dataSource,
    lock = false,
  ): Promise<CheckpointRow> {
    const rows: Row[] = await manager.query(
      `SELECT name, commit_pos::text, prepare_pos::text, status, error, failed_event
         FROM projection_checkpoints WHERE name = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [name],
    );
    return rows[0] ? toCheckpoint(rows[0]) : notStarted(name);
  }

  /** Several checkpoints in one query; a projection without a row yet is at the start. */
  async many(names: readonly string[]): Promise<CheckpointRow[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT name, commit_pos::text, prepare_pos::text, status, error, failed_event
         FROM projection_checkpoints WHERE name = ANY($1)`,
      [names],
    );
    const found = new Map(rows.map((row) => [row.name, toCheckpoint(row)]));
    return names.map((name) => found.get(name) ?? notStarted(name));
  }

  async all(): Promise<CheckpointRow[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT name, commit_pos::text, prepare_pos::text, status, error, failed_event
         FROM projection_checkpoints ORDER BY name`,
    );
    return rows.map(toCheckpoint);
  }

  async advance(manager: EntityManager, name: string, position: Position): Promise<void> {
    await manager.query(
      `UPDATE projection_checkpoints SET commit_pos = $2, prepare_pos = $3, updated_at = now()
        WHERE name = $1`,
      [name, position.commit.toString(), position.prepare.toString()],
    );
  }

  /**
   * In the caller's transaction: moves from `expected` to `position` every named checkpoint
   * that is still at `expected` and running, under row locks taken in name order (as every
   * locker of several). Returns the names it moved.
   */
  async advanceIfAt(
    manager: EntityManager,
    names: readonly string[],
    expected: Position,
    position: Position,
  ): Promise<string[]> {
    const rows: Row[] = await manager.query(
      `SELECT name, commit_pos::text, prepare_pos::text, status, error, failed_event
         FROM projection_checkpoints WHERE name = ANY($1) ORDER BY name FOR UPDATE`,
      [names],
    );
    const moving = rows
      .map(toCheckpoint)
      .filter(
        (c) =>
          c.status === 'running' &&
          c.position.commit === expected.commit &&
          c.position.prepare === expected.prepare,
      )
      .map((c) => c.name);
    if (moving.length > 0) {
      await manager.query(
        `UPDATE projection_checkpoints SET commit_pos = $2, prepare_pos = $3, updated_at = now()
          WHERE name = ANY($1)`,
        [moving, position.commit.toString(), position.prepare.toString()],
      );
    }
    return moving;
  }

  async fail(name: string, error: string, failedEvent: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE projection_checkpoints SET status = 'failed', error = $2, failed_event = $3, updated_at = now()
        WHERE name = $1`,
      [name, error, JSON.stringify(failedEvent)],
    );
  }

  async reset(manager: EntityManager, name: string): Promise<void> {
    await manager.query(
      `UPDATE projection_checkpoints SET commit_pos = -1, prepare_pos = -1, status = 'running',
         error = NULL, failed_event = NULL, updated_at = now() WHERE name = $1`,
      [name],
    );
  }

  async resume(name: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE projection_checkpoints SET status = 'running', error = NULL, failed_event = NULL
        WHERE name = $1`,
      [name],
    );
  }
}
