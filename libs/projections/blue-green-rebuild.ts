import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DatabaseTimeouts } from '../database/bounded-connection.js';
import { createDataSource } from '../database/data-source.js';
import type { ProjectionRunner, RebuildAllResult } from './projection-runner.js';
import { createRebuildSchema, swapTables } from './rebuild-schema.js';

export interface BlueGreenOptions {
  /** The read-model database (the rebuild opens a pool of its own on it). */
  readonly databaseUrl: string;
  readonly timeouts?: DatabaseTimeouts;
  readonly onProgress?: (events: number) => void;
  /** Called once caught up, before the switch (tests use it to look at both models). */
  readonly beforeSwitch?: () => Promise<void>;
}

export interface BlueGreenResult extends RebuildAllResult {
  /** The projections now served from the rebuilt tables (those that did not stop). */
  readonly switched: string[];
  /** How long the switch held the live checkpoints (live followers wait that long). */
  readonly switchMs: number;
}

/** lock_not_available: the switch waited longer than lock_timeout for a batch or a reader. */
const LOCK_NOT_AVAILABLE = '55P03';
const SWITCH_ATTEMPTS = 5;

/**
 * Rebuilds projections into new tables while the live ones keep serving, then switches.
 *
 * The rebuild runs in a schema of its own (`rebuild_<random>`) with an empty copy of each table
 * and its own checkpoints: its sessions' search_path puts that schema first, so the
 * projections' unqualified SQL writes there, and the servers' follow loops and readers go on
 * using the live tables. Once caught up, one short transaction takes the live checkpoints'
 * row locks (the lock every batch of a follower takes first, so none can commit meanwhile),
 * lets the rebuild apply what came in since, swaps the tables and gives the live checkpoints
 * the rebuild's: a follower that was waiting finds its checkpoint moved, reads again after the
 * rebuild's position and goes on in the new tables, so no event is lost or applied twice. The
 * old tables are dropped afterwards; a rebuild that fails leaves the live model as it was.
 */
export async function rebuildBlueGreen(
  runner: ProjectionRunner,
  live: DataSource,
  names: readonly string[],
  options: BlueGreenOptions,
): Promise<BlueGreenResult> {
  const [{ schema }]: Array<{ schema: string }> = await live.query(
    'SELECT current_schema() AS schema',
  );
  const suffix = randomBytes(6).toString('hex');
  const rebuilt = `rebuild_${suffix}`;
  const retired = `retired_${suffix}`;
  for (const name of names) await runner.checkpointStore.ensure(name);
  await createRebuildSchema(live, schema, rebuilt, runner.tablesOf(names));
  const scoped = createDataSource(options.databaseUrl, [], {
    poolSize: names.length + 1,
    applicationName: 'projections-rebuild',
    timeouts: options.timeouts,
    searchPath: `${rebuilt},${schema}`,
  });
  try {
    await scoped.initialize();
    const shadow = runner.withDataSource(scoped);
    const built = await shadow.rebuildAll(names, options.onProgress);
    const healthy = () => names.filter((n) => !(n in built.failed));
    // Caught up once more outside the lock: what the switch has to apply stays short.
    Object.assign(built.failed, (await shadow.drain(healthy())).failed);
    await options.beforeSwitch?.();
    let switchMs = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        switchMs = await switchOver(live, shadow, healthy(), built, {
          live: schema,
          rebuilt,
          retired,
        });
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== LOCK_NOT_AVAILABLE || attempt >= SWITCH_ATTEMPTS) throw error;
      }
    }
    return { ...built, switched: healthy(), switchMs };
  } finally {
    if (scoped.isInitialized) await scoped.destroy();
    await live.query(`DROP SCHEMA IF EXISTS ${retired} CASCADE`);
    await live.query(`DROP SCHEMA IF EXISTS ${rebuilt} CASCADE`);
  }
}

async function switchOver(
  live: DataSource,
  shadow: ProjectionRunner,
  names: string[],
  built: RebuildAllResult,
  schemas: { live: string; rebuilt: string; retired: string },
): Promise<number> {
  const started = Date.now();
  const runner = live.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // In name order, as the rebuild's reset: no deadlock with another locker of several.
    await runner.query(
      `SELECT name FROM ${schemas.live}.projection_checkpoints WHERE name = ANY($1)
        ORDER BY name FOR UPDATE`,
      [names],
    );
    // No follower can commit a batch of these now. The rebuild applies what it has not seen of
    // what is readable (in its own transactions, on its own tables), then the tables swap.
    const last = await shadow.drain(names);
    Object.assign(built.failed, last.failed);
    const switching = names.filter((n) => !(n in built.failed));
    if (last.events > 0) {
      for (const name of switching) built.checksums[name] = await shadow.checksum(name);
    }
    for (const name of names) if (name in built.failed) delete built.checksums[name];
    await swapTables(runner.manager, switching, shadow.tablesOf(switching), schemas);
    await runner.commitTransaction();
    return Date.now() - started;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
