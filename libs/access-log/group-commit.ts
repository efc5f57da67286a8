/** One caller's share of a group: its rows, already serialised, and how to answer it. */
interface Waiting {
  readonly json: string;
  readonly rows: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Thrown to a caller that arrives after close(): the pool is about to go. */
export class GroupCommitClosed extends Error {
  constructor() {
    super('The access log is closed');
  }
}

/**
 * Group commit: callers that arrive while a write is in flight wait for it and then go together
 * in the next single write (one statement, one transaction, one WAL flush, one pooled
 * connection), instead of one each. A caller that finds nothing in flight is written at once,
 * after the current microtask only, so a lone caller waits no longer than before. At most one
 * write is in flight, so under load the group grows by itself to what arrived during one flush.
 *
 * A group is all or nothing: its write either commits every caller's rows or none, and each
 * caller hears the outcome of the write its rows were in. A caller's rows are never split over
 * two groups, so a caller is all or nothing too, even when it alone has more than `maxRows`.
 * The price of one write at a time: while the database refuses (a lock held past lock_timeout,
 * an outage), a caller that arrived during a failing write waits for it and then for its own,
 * so twice the bound of one statement before it hears (more when several groups wait).
 */
export class GroupCommit {
  private readonly queue: Waiting[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(
    /** Writes the rows of a group, given as one JSON array, in one statement. */
    private readonly write: (jsonArray: string) => Promise<void>,
    /** A group takes further callers only while it stays within this many rows. */
    private readonly maxRows: number,
  ) {
    if (!(maxRows >= 1)) throw new RangeError('A group needs room for at least one row');
  }

  /** Resolves once these rows are committed; rejects with the error of their group's write. */
  submit(jsonRows: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new GroupCommitClosed());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ json: jsonRows.join(','), rows: jsonRows.length, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Refuses new callers and waits until everyone already waiting has been written (or failed). */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    // Lets the callers of the same tick (a Promise.all of records) join the first group.
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        const group = this.nextGroup();
        try {
          await this.write(`[${group.map((w) => w.json).join(',')}]`);
        } catch (error) {
          for (const waiting of group) waiting.reject(error);
          continue;
        }
        for (const waiting of group) waiting.resolve();
      }
    } finally {
      this.draining = undefined;
    }
  }

  private nextGroup(): Waiting[] {
    let rows = this.queue[0]!.rows;
    let size = 1;
    while (size < this.queue.length && rows + this.queue[size]!.rows <= this.maxRows) {
      rows += this.queue[size]!.rows;
      size += 1;
    }
    return this.queue.splice(0, size);
  }
}
