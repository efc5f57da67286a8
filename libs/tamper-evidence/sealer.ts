import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/index.js';
import type { MerkleLog } from './merkle-log.js';
import type { SealSigner } from './seal-signer.js';
import type { SealSink, SinkSeal } from './seal-sink.js';
import { sealStatement } from './seal-statement.js';

export interface SealerOptions {
  /** Seal once the tree has grown by this many events since the last seal. */
  readonly everyEvents: number;
  /** And at least this often while it grows at all. */
  readonly intervalMinutes: number;
  readonly logger?: { warn(obj: object, msg: string): void };
}

/** A seal as the database keeps it: also the position of the last event it covers. */
export interface StoredSeal extends SinkSeal {
  /** The last sealed event's position in the global order ("-1--1" for an empty store). */
  readonly upTo: string;
}

interface SealRow {
  seal_id: string;
  size: string;
  root: string;
  sealed_at: Date;
  key_id: string;
  signature: string;
  statement: string;
  up_to: string;
}

const SEAL_COLUMNS = 'seal_id, size, root, sealed_at, key_id, signature, statement, up_to';

/**
 * Seals the Merkle log: a statement of its size and root, signed with the key the database never
 * holds (seal-signer.ts), stored in audit_seals and written to the sink outside the database.
 * The database row comes first and the sink after (retried until it takes it): the other way
 * round, a seal could be in the sink and not in the database, which verification must report as
 * a removed seal. Sealing is serialised across instances by an advisory lock.
 */
export class Sealer {
  private timer?: NodeJS.Timeout;
  private sealing?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: MerkleLog,
    private readonly signer: SealSigner,
    private readonly sink: SealSink,
    private readonly clock: Clock,
    private readonly options: SealerOptions,
  ) {}

  /** Seals every event stored up to now (the log first catches up with the store). */
  async seal(): Promise<StoredSeal> {
    await this.log.catchUp();
    return this.sealCaughtUp();
  }

  /** Seals the log as it stands (its caller caught it up). */
  private async sealCaughtUp(): Promise<StoredSeal> {
    const seal = await this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtextextended('audit-seal', 0))");
      const head = await this.log.head(manager);
      const fields = {
        sealId: randomUUID(),
        size: head.size,
        root: head.root.toString('hex'),
        sealedAt: this.clock.now().toISOString(),
      };
      const statement = sealStatement(fields);
      const made: StoredSeal = {
        ...fields,
        keyId: this.signer.keyId,
        signature: this.signer.sign(statement),
        statement,
        upTo: head.position,
      };
      await manager.query(
        `INSERT INTO audit_seals (${SEAL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          made.sealId,
          made.size,
          made.root,
          made.sealedAt,
          made.keyId,
          made.signature,
          statement,
          made.upTo,
        ],
      );
      return made;
    });
    await this.toSink();
    return seal;
  }

  /** Every stored seal, oldest first. */
  async list(): Promise<StoredSeal[]> {
    const rows: SealRow[] = await this.dataSource.query(
      `SELECT ${SEAL_COLUMNS} FROM audit_seals ORDER BY size, sealed_at, seal_id`,
    );
    return rows.map(sealOf);
  }

  /**
   * Seals when the tree has grown by `everyEvents` since the last seal, or has grown at all and
   * the last seal is `intervalMinutes` old. Called after the log grows and on a timer.
   */
  async sealIfDue(): Promise<StoredSeal | undefined> {
    if (this.sealing) return undefined;
    const run = (async () => {
      await this.log.catchUp();
      const head = await this.log.head();
      const [last] = (await this.dataSource.query(
        'SELECT size, sealed_at FROM audit_seals ORDER BY size DESC, sealed_at DESC LIMIT 1',
      )) as Array<{ size: string; sealed_at: Date }>;
      const sealed = last ? Number(last.size) : 0;
      if (head.size <= sealed) return undefined;
      const age = last ? this.clock.now().getTime() - last.sealed_at.getTime() : Infinity;
      const due =
        head.size - sealed >= this.options.everyEvents ||
        age >= this.options.intervalMinutes * 60_000;
      return due ? this.sealCaughtUp() : undefined;
    })();
    this.sealing = run;
    try {
      return await run;
    } finally {
      this.sealing = undefined;
    }
  }

  /** Looks every minute whether a seal is due, and retries seals the sink has not taken yet. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.sealIfDue()
        .then(() => this.toSink())
        .catch((error: unknown) =>
          this.options.logger?.warn(
            { reason: (error as Error).message },
            'sealing failed; retrying in a minute',
          ),
        );
    }, 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sealing?.catch(() => undefined);
  }

  /** Writes the seals the sink has not taken yet, oldest first; a failure waits for the next try. */
  private async toSink(): Promise<void> {
    const rows: SealRow[] = await this.dataSource.query(
      `SELECT ${SEAL_COLUMNS} FROM audit_seals WHERE NOT in_sink ORDER BY size, sealed_at`,
    );
    for (const row of rows) {
      try {
        const { upTo: _upTo, ...copy } = sealOf(row);
        await this.sink.write(copy);
      } catch (error) {
        this.options.logger?.warn(
          { reason: (error as Error).message, sealId: row.seal_id },
          'seal sink refused the seal; retrying in a minute',
        );
        return;
      }
      await this.dataSource.query('UPDATE audit_seals SET in_sink = true WHERE seal_id = $1', [
        row.seal_id,
      ]);
    }
  }
}

function sealOf(row: SealRow): StoredSeal {
  return {
    sealId: row.seal_id,
    size: Number(row.size),
    root: row.root,
    sealedAt: row.sealed_at.toISOString(),
    keyId: row.key_id,
    signature: row.signature,
    statement: row.statement,
    upTo: row.up_to,
  };
}
