import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock/index.js';
import { isTransientDatabaseError, retryDelayMs } from '../database/database-unavailable.js';
import { qualifiedTypeName, type RecordedEvent } from '../event-store/event-envelope.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { comparePositions, formatPosition, type Position } from '../event-store/position.js';
import { Wakeup } from '../event-store/wakeup.js';
import { CheckpointStore, type CheckpointRow } from './checkpoint-store.js';
import type { Projection } from './projection.js';
import { tableDigest } from './table-digest.js';

export interface ProjectionRunnerOptions {
  readonly batchSize: number;
  readonly onError: 'stop' | 'park';
  readonly pollIntervalMs?: number;
  readonly logger?: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /**
   * Events per page of a rebuild (default: 4 × batchSize, at least 2,000). A page is read once
   * for every projection being rebuilt, and a projection that folds several events into one row
   * writes that row once per page: fewer writes the more events of one row a page holds (in the
   * bench's data, where each family's events are spread thin, not many); memory grows with it.
   */
  readonly rebuildBatchSize?: number;
  /** Called after every batch: how many events, and how old the oldest of them was. */
  readonly onBatch?: (projection: string, events: number, lagSeconds: number) => void;
}

export class ProjectionFailedError extends Error {
  override readonly name = 'ProjectionFailedError';
}

class HandlerError extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

type BatchOutcome = 'empty' | 'applied' | 'moved' | 'stopped';

export interface RebuildAllResult {
  /** Events read (each once, whatever the number of projections). */
  readonly events: number;
  /** Checksum of each projection's read model, for those that did not stop. */
  readonly checksums: Record<string, string>;
  /** Projections a poison event stopped (onError 'stop'), with the error that names it. */
  readonly failed: Record<string, string>;
  /** Seconds each projection spent in its own transactions (they run side by side). */
  readonly seconds: Record<string, number>;
}

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Keeps every projection up to date by pulling events after its stored checkpoint. Each batch
 * runs in one read-model transaction that re-checks the checkpoint under a row lock, so several
 * server instances (or a rebuild from the CLI) can run the same projection without applying an
 * event twice: whoever finds the checkpoint moved simply reads again.
 */
export class ProjectionRunner {
  private readonly checkpoints: CheckpointStore;
  private readonly wakeup = new Wakeup();
  /** Counts wake-ups (an append, the store's LISTEN connection back): each ends every back-off. */
  private wakeups = 0;
  private readonly byName: Map<string, Projection>;
  private abort?: AbortController;
  private loops: Promise<void>[] = [];
  private unsubscribe?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    projections: readonly Projection[],
    private readonly clock: Clock,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.checkpoints = new CheckpointStore(dataSource);
    this.byName = new Map(projections.map((p) => [p.name, p]));
    for (const p of projections) {
      for (const table of p.tables) {
        if (!TABLE_NAME.test(table)) throw new Error(`Unsafe table name ${table} in ${p.name}`);
      }
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** The tables the named projections own. */
  tablesOf(names: readonly string[]): string[] {
    return names.flatMap((name) => this.projection(name).tables);
  }

  get checkpointStore(): CheckpointStore {
    return this.checkpoints;
  }

  async start(): Promise<void> {
    this.abort = new AbortController();
    for (const name of this.byName.keys()) await this.checkpoints.ensure(name);
    this.unsubscribe = this.store.onAppended(() => {
      this.wakeups += 1;
      this.wakeup.notify();
    });
    this.loops = [this.followAll([...this.byName.values()], this.abort.signal)];
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.unsubscribe?.();
    await Promise.all(this.loops);
    this.loops = [];
  }

  /**
   * Processes until the projection has passed every event committed when it was called;
   * returns how many events it read. An event that is committed but not yet readable (an older
   * transaction is still open) is waited for, not skipped.
   */
  async catchUp(name: string, onProgress?: (events: number) => void): Promise<number> {
    const projection = this.projection(name);
    await this.checkpoints.ensure(name);
    const target = await this.store.headPosition();
    let total = 0;
    for (;;) {
      const { outcome, events } = await this.processBatch(projection);
      if (outcome === 'stopped') {
        const checkpoint = await this.checkpoints.get(name);
        throw new ProjectionFailedError(checkpoint.error ?? `${name} is stopped`);
      }
      if (outcome === 'applied') {
        total += events;
        onProgress?.(total);
      }
      if (outcome === 'empty') {
        const { position } = await this.checkpoints.get(name);
        if (!target || comparePositions(position, target) >= 0) return total;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  /** Empties the projection's tables, replays every event, and returns the read model's checksum. */
  async rebuild(
    name: string,
    onProgress?: (events: number) => void,
  ): Promise<{ events: number; checksum: string }> {
    await this.reset([name]);
    const events = await this.catchUp(name, onProgress);
    return { events, checksum: await this.checksum(name) };
  }

  /**
   * Rebuilds several projections in one pass: each page of events is read once and handed to
   * every one of them, each in its own transaction that also moves its checkpoint (so a poison
   * event parks or stops only that projection, as in `rebuild`). Pages are read in global order
   * and one ahead at most, so memory is bounded by the page size, not by the number of events.
   */
  async rebuildAll(
    names: readonly string[] = this.names,
    onProgress?: (events: number) => void,
  ): Promise<RebuildAllResult> {
    await this.reset(names);
    const { events, failed, seconds } = await this.replay(names, 'head', onProgress);
    const checksums: Record<string, string> = {};
    for (const name of names) if (!(name in failed)) checksums[name] = await this.checksum(name);
    return { events, checksums, failed, seconds };
  }

  /**
   * Processes, in one pass, what the projections have not seen of the events readable now, and
   * returns without waiting for events that are committed but not yet readable: a caller that
   * holds a transaction open (a blue-green switch) would otherwise wait for itself.
   */
  async drain(
    names: readonly string[],
  ): Promise<{ events: number; failed: Record<string, string> }> {
    const { events, failed } = await this.replay(names, 'readable');
    return { events, failed };
  }

  /** A runner of the same projections and options on another data source (a rebuild schema). */
  withDataSource(dataSource: DataSource): ProjectionRunner {
    return new ProjectionRunner(dataSource, this.store, [...this.byName.values()], this.clock, {
      ...this.options,
      onBatch: undefined,
    });
  }

  /** Empties the projections' tables and moves their checkpoints to the start, in one transaction. */
  private async reset(names: readonly string[]): Promise<void> {
    const projections = names.map((name) => this.projection(name));
    for (const name of names) await this.checkpoints.ensure(name);
    await this.dataSource.transaction(async (manager) => {
      // In name order, as every other locker of several checkpoints: no deadlock between them.
      for (const name of [...names].sort()) await this.checkpoints.get(name, manager, true);
      const tables = projections.flatMap((p) => p.tables);
      if (tables.length > 0) await manager.query(`TRUNCATE ${tables.join(', ')}`);
      for (const name of names) await this.checkpoints.reset(manager, name);
    });
  }

  private async replay(
    names: readonly string[],
    until: 'head' | 'readable',
    onProgress?: (events: number) => void,
  ): Promise<{ events: number; failed: Record<string, string>; seconds: Record<string, number> }> {
    const projections = names.map((name) => this.projection(name));
    const pageSize = this.options.rebuildBatchSize ?? Math.max(2_000, this.options.batchSize * 4);
    // Appends go on during a rebuild: it ends at the head it started with (what comes later is
    // the live followers' work), and a drain also at the first empty page.
    const target = await this.store.headPosition();
    const failed: Record<string, string> = {};
    const seconds: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    let active = projections;
    let total = 0;
    let ahead: { after: Position; page: Promise<RecordedEvent[]> } | undefined;
    const read = (after: Position) => {
      const page = this.store.readAll({ after, maxCount: pageSize });
      // Handled where it is awaited; until then a failed read must not count as unhandled.
      page.catch(() => undefined);
      return { after, page };
    };
    for (;;) {
      const checkpoints = await this.checkpoints.many(active.map((p) => p.name));
      for (const c of checkpoints) {
        if (c.status === 'failed') failed[c.name] = c.error ?? `${c.name} is stopped`;
      }
      active = active.filter((p) => !(p.name in failed));
      if (active.length === 0) break;
      const reached = (c: CheckpointRow) => !target || comparePositions(c.position, target) >= 0;
      if (checkpoints.every((c) => c.status === 'failed' || reached(c))) break;
      const from = checkpoints
        .filter((c) => c.status !== 'failed')
        .map((c) => c.position)
        .reduce((min, p) => (comparePositions(p, min) < 0 ? p : min));
      // The page read ahead is used only if every projection ended where it began.
      const current = ahead && comparePositions(ahead.after, from) === 0 ? ahead : read(from);
      ahead = undefined;
      const events = await current.page;
      if (events.length === 0) {
        if (until === 'readable') break;
        // Committed but not yet readable (an older transaction is still open): wait for it.
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      const last = events[events.length - 1].position;
      if (events.length === pageSize) ahead = read(last);
      const at = new Map(checkpoints.map((c) => [c.name, c.position]));
      await Promise.all(
        active.map(async (projection) => {
          const position = at.get(projection.name)!;
          const unseen = events.filter((e) => comparePositions(e.position, position) > 0);
          if (unseen.length === 0) return;
          const started = process.hrtime.bigint();
          await this.applyBatch(projection, position, unseen);
          seconds[projection.name] += Number(process.hrtime.bigint() - started) / 1e9;
        }),
      );
      total += events.length;
      onProgress?.(total);
    }
    // A page read ahead past the end (or after a projection fell behind) is dropped.
    await ahead?.page.catch(() => undefined);
    return { events: total, failed, seconds };
  }

  /** A digest of every row of the projection's tables, independent of physical row order. */
  async checksum(name: string): Promise<string> {
    const hash = createHash('sha256');
    for (const table of [...this.projection(name).tables].sort()) {
      hash.update(`${table}:${await tableDigest(this.dataSource, table)}\n`);
    }
    return hash.digest('hex');
  }

  /**
   * Waits until every named projection has processed `position` (read-your-writes). Returns
   * false on timeout, or at once when one of them has stopped on a failure.
   */
  async waitFor(position: Position, timeoutMs: number, names = this.names): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    // One query per look, and looks further apart the longer it takes: every waiting request
    // polls, and at 7 queries every 15 ms each they starved the projections they waited for (B3).
    for (let pause = 10; ; pause = Math.min(100, pause * 1.5)) {
      const checkpoints = await this.checkpoints.many(names);
      if (checkpoints.every((c) => comparePositions(c.position, position) >= 0)) return true;
      if (checkpoints.some((c) => c.status === 'failed')) return false;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(0, deadline - Date.now()))));
    }
  }

  private projection(name: string): Projection {
    const projection = this.byName.get(name);
    if (!projection) throw new Error(`Unknown projection ${name}; known: ${this.names.join(', ')}`);
    return projection;
  }

  /**
   * Follows every projection in one loop. Each round reads the checkpoints with one query and
   * the events after them once per distinct checkpoint: in the steady state all are at the same
   * one, so one read serves all (with one loop per projection every append cost each of them a
   * read and a transaction). A projection with events of its types in the page applies them in
   * a transaction of its own, so a poison event or a failing batch holds back only that one;
   * those with none move their checkpoints together, in one transaction.
   *
   * A batch that fails outside a handler (the database is down, a connection was cut) is tried
   * again, backing off up to 5 s, for as long as it takes: a projection never stops following
   * because of an outage. A new event (or the store's LISTEN connection coming back) cuts a
   * wait short, so a projection resumes soon after the database does. A projection a poison
   * event stopped is left out until it is resumed.
   */
  private async followAll(projections: Projection[], signal: AbortSignal): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 250;
    const failures = new Map<string, number>();
    const retryAt = new Map<string, number>();
    const names = projections.map((p) => p.name);
    let wakeupsSeen = this.wakeups;
    while (!signal.aborted) {
      // Something changed (the database is back, or events came): try every projection now
      // instead of after its back-off, else read models lag up to 5 s behind a recovery and
      // the writes waiting for them answer 503.
      if (this.wakeups !== wakeupsSeen) {
        wakeupsSeen = this.wakeups;
        retryAt.clear();
      }
      let checkpoints: CheckpointRow[];
      try {
        checkpoints = await this.checkpoints.many(names);
      } catch (error) {
        for (const name of names) this.failed(name, error, failures, retryAt, poll);
        await this.wakeup.wait(this.untilRetry(retryAt, poll), signal);
        continue;
      }
      const now = Date.now();
      const groups = new Map<string, CheckpointRow[]>();
      for (const c of checkpoints) {
        if (c.status !== 'running' || (retryAt.get(c.name) ?? 0) > now) continue;
        const key = formatPosition(c.position);
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      const progressed = await Promise.all(
        [...groups.values()].map((group) => this.followGroup(group, failures, retryAt, poll)),
      );
      if (!progressed.some(Boolean)) await this.wakeup.wait(this.untilRetry(retryAt, poll), signal);
    }
  }

  /** One page for projections at one checkpoint; true when something was applied or moved. */
  private async followGroup(
    group: readonly CheckpointRow[],
    failures: Map<string, number>,
    retryAt: Map<string, number>,
    poll: number,
  ): Promise<boolean> {
    const after = group[0].position;
    let events: RecordedEvent[];
    try {
      events = await this.store.readAll({ after, maxCount: this.options.batchSize });
    } catch (error) {
      for (const c of group) this.failed(c.name, error, failures, retryAt, poll);
      return false;
    }
    if (events.length === 0) {
      for (const c of group) {
        this.recovered(c.name, failures, retryAt);
        this.options.onBatch?.(c.name, 0, 0);
      }
      return false;
    }
    const busy: Projection[] = [];
    const idle: string[] = [];
    for (const c of group) {
      const projection = this.projection(c.name);
      const types = new Set(projection.eventTypes);
      if (events.some((e) => types.has(e.type))) busy.push(projection);
      else idle.push(c.name);
    }
    const last = events[events.length - 1].position;
    const lag = (this.clock.now().getTime() - Date.parse(events[0].recordedAt)) / 1000;
    await Promise.all([
      ...busy.map(async (projection) => {
        try {
          await this.applyBatch(projection, after, events);
          this.recovered(projection.name, failures, retryAt);
        } catch (error) {
          this.failed(projection.name, error, failures, retryAt, poll);
        }
      }),
      (async () => {
        if (idle.length === 0) return;
        try {
          const moved = await this.dataSource.transaction((manager) =>
            this.checkpoints.advanceIfAt(manager, idle, after, last),
          );
          for (const name of idle) this.recovered(name, failures, retryAt);
          for (const name of moved) this.options.onBatch?.(name, events.length, Math.max(0, lag));
        } catch (error) {
          for (const name of idle) this.failed(name, error, failures, retryAt, poll);
        }
      })(),
    ]);
    return true;
  }

  private recovered(name: string, failures: Map<string, number>, retryAt: Map<string, number>) {
    const count = failures.get(name);
    if (!count) return;
    this.options.logger?.info({ projection: name, failures: count }, 'projection resumed');
    failures.delete(name);
    retryAt.delete(name);
  }

  private failed(
    name: string,
    error: unknown,
    failures: Map<string, number>,
    retryAt: Map<string, number>,
    poll: number,
  ) {
    const count = (failures.get(name) ?? 0) + 1;
    failures.set(name, count);
    retryAt.set(name, Date.now() + retryDelayMs(count, poll * 4, 5_000));
    // An outage: one warning when it starts, not one per attempt, and no stack (the
    // database, not this code, is the problem). Anything else is logged every time.
    if (!isTransientDatabaseError(error)) {
      this.options.logger?.error(
        { projection: name, err: error },
        'projection batch failed; retrying',
      );
    } else if (count === 1) {
      this.options.logger?.warn(
        { projection: name, reason: (error as Error).message },
        'projection waiting for the database; retrying',
      );
    }
  }

  /** How long to wait: a poll, or less when a projection's back-off ends sooner. */
  private untilRetry(retryAt: Map<string, number>, poll: number): number {
    // Only back-offs still to come: one that has passed (its projection stopped meanwhile, or
    // it is tried this round) must not turn the wait into a busy loop.
    const now = Date.now();
    const ahead = [...retryAt.values()].filter((t) => t > now);
    return ahead.length === 0 ? poll : Math.min(poll, Math.min(...ahead) - now);
  }

  private async processBatch(
    projection: Projection,
  ): Promise<{ outcome: BatchOutcome; events: number }> {
    const checkpoint = await this.checkpoints.get(projection.name);
    if (checkpoint.status === 'failed') return { outcome: 'stopped', events: 0 };
    const events = await this.store.readAll({
      after: checkpoint.position,
      maxCount: this.options.batchSize,
    });
    if (events.length === 0) {
      this.options.onBatch?.(projection.name, 0, 0);
      return { outcome: 'empty', events: 0 };
    }
    return this.applyBatch(projection, checkpoint.position, events);
  }

  /** Applies events read after `expected`; a poison event is parked or stops the projection. */
  private async applyBatch(
    projection: Projection,
    expected: Position,
    events: readonly RecordedEvent[],
  ): Promise<{ outcome: BatchOutcome; events: number }> {
    const lag = (this.clock.now().getTime() - Date.parse(events[0].recordedAt)) / 1000;
    try {
      const moved = await this.applyInTransaction(projection, expected, events);
      if (moved) return { outcome: 'moved', events: 0 };
    } catch (error) {
      if (!(error instanceof HandlerError)) throw error;
      return this.handlePoison(projection, expected, events, error);
    }
    this.options.onBatch?.(projection.name, events.length, Math.max(0, lag));
    return { outcome: 'applied', events: events.length };
  }

  /** Returns true when another worker moved the checkpoint first (nothing was applied). */
  private async applyInTransaction(
    projection: Projection,
    expected: Position,
    events: readonly RecordedEvent[],
    afterApply?: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    const types = new Set(projection.eventTypes);
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.checkpoints.get(projection.name, manager, true);
      if (comparePositions(locked.position, expected) !== 0 || locked.status !== 'running') {
        return true;
      }
      if (projection.prepare) {
        const relevant = events.filter((e) => types.has(e.type));
        if (relevant.length > 0) await projection.prepare(relevant, manager);
      }
      for (let i = 0; i < events.length; i += 1) {
        if (!types.has(events[i].type)) continue;
        try {
          await projection.apply(events[i], manager);
        } catch (error) {
          // A connection lost (or a statement timed out) in the middle of a handler says nothing
          // about the event: the batch is retried, the event is neither parked nor a reason to
          // stop.
          if (isTransientDatabaseError(error)) throw error;
          throw new HandlerError(i, error);
        }
      }
      await projection.flush?.(manager);
      await afterApply?.(manager);
      const last = events[events.length - 1];
      if (last) await this.checkpoints.advance(manager, projection.name, last.position);
      return false;
    });
  }

  /**
   * Keeps the events before the poison one, then either parks it and moves past it, or stops
   * this projection (and only this one) with an error that names the event.
   */
  private async handlePoison(
    projection: Projection,
    expected: Position,
    events: readonly RecordedEvent[],
    error: HandlerError,
  ): Promise<{ outcome: BatchOutcome; events: number }> {
    const poison = events[error.index];
    const described = `${qualifiedTypeName(poison)} ${poison.metadata.eventId} at ${formatPosition(
      poison.position,
    )} in ${poison.streamId}@${poison.streamVersion}`;
    const message = `Projection ${projection.name} failed on event ${described}: ${error.message}`;
    const good = events.slice(0, error.index);
    if (this.options.onError === 'park') {
      await this.applyInTransaction(projection, expected, good, async (manager) => {
        await manager.query(
          `INSERT INTO parked_events (projection, position, event_id, event_type, stream_id, stream_version, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [
            projection.name,
            formatPosition(poison.position),
            poison.metadata.eventId,
            qualifiedTypeName(poison),
            poison.streamId,
            poison.streamVersion,
            error.message,
          ],
        );
        await this.checkpoints.advance(manager, projection.name, poison.position);
      });
      this.options.logger?.error({ projection: projection.name }, `${message} (parked)`);
      return { outcome: 'applied', events: error.index + 1 };
    }
    if (good.length > 0) await this.applyInTransaction(projection, expected, good);
    await this.checkpoints.fail(projection.name, message, {
      eventId: poison.metadata.eventId,
      type: qualifiedTypeName(poison),
      position: formatPosition(poison.position),
      streamId: poison.streamId,
      streamVersion: poison.streamVersion,
    });
    this.options.logger?.error({ projection: projection.name }, message);
    return { outcome: 'stopped', events: good.length };
  }
}
