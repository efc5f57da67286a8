import type { DataSource } from 'typeorm';
import type { Position } from '../event-store/position.js';
import type { ConsistencyWaiter } from '../http/consistency.interceptor.js';

interface Waiter {
  readonly names: string[];
  waitFor(position: Position, timeoutMs: number): Promise<boolean>;
}

/**
 * Read-your-writes for every caller, with or without `X-Consistent-After`: each command's
 * position is remembered per caller in the database (not per connection or per instance), and
 * a later request of that caller waits until every read model has processed it. The common
 * case, nothing to wait for, costs one indexed query.
 */
export class ReadYourWrites implements ConsistencyWaiter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runner: Waiter,
  ) {}

  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    return this.runner.waitFor(position, timeoutMs);
  }

  async ownWriteAhead(userId: string): Promise<Position | undefined> {
    const rows: Array<{ commit_pos: string; prepare_pos: string }> = await this.dataSource.query(
      `SELECT w.commit_pos::text, w.prepare_pos::text
         FROM caller_positions w
        WHERE w.user_id = $1
          AND EXISTS (SELECT 1 FROM unnest($2::text[]) AS n(name)
                        LEFT JOIN projection_checkpoints c ON c.name = n.name
                       WHERE c.name IS NULL OR c.status <> 'running'
                          OR (c.commit_pos, c.prepare_pos) < (w.commit_pos, w.prepare_pos))`,
      [userId, this.runner.names],
    );
    const row = rows[0];
    return row && { commit: BigInt(row.commit_pos), prepare: BigInt(row.prepare_pos) };
  }

  async rememberOwnWrite(userId: string, position: Position): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO caller_positions AS w (user_id, commit_pos, prepare_pos) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE
          SET commit_pos = EXCLUDED.commit_pos, prepare_pos = EXCLUDED.prepare_pos, updated_at = now()
        WHERE (w.commit_pos, w.prepare_pos) < (EXCLUDED.commit_pos, EXCLUDED.prepare_pos)`,
      [userId, position.commit.toString(), position.prepare.toString()],
    );
  }
}
