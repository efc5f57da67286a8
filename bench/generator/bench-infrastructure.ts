import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../../config/app.config.js';
import { createInfrastructure, type Infrastructure } from '../../src/core/infrastructure.js';
import { INFRASTRUCTURE_OPTIONS } from '../../src/read-models.js';

/**
 * The master key of every bench database (base64 of 32 bytes). Fixed, so a server or CLI
 * process started later on the same database (MASTER_KEY=BENCH_MASTER_KEY) opens what the
 * generator sealed. Bench data only: never use it for anything real.
 */
export const BENCH_MASTER_KEY = Buffer.from('egep-bench-master-key-32-bytes!!').toString('base64');

/** The environment a server or CLI child process needs to work on a bench database. */
export function benchEnvironment(databaseUrl: string): Record<string, string> {
  return {
    APP_MODE: 'development',
    DATABASE_URL: databaseUrl,
    MASTER_KEY: BENCH_MASTER_KEY,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    TIMER_INTERVAL_MS: '0',
  };
}

/**
 * The app's own infrastructure (event store, vault, repository) on a bench database:
 * development mode, so the clock is an AdjustableClock the generator can move forward.
 */
export async function benchInfrastructure(
  databaseUrl: string,
  overrides: Partial<AppConfig> = {},
): Promise<Infrastructure> {
  const config = loadConfig({
    ...benchEnvironment(databaseUrl),
    // Unused with MASTER_KEY and DATABASE_URL set, but never the developer's ./.data.
    DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-bench-')),
    DB_POOL_SIZE: '16',
  });
  Object.assign(config, overrides);
  return createInfrastructure(config, INFRASTRUCTURE_OPTIONS);
}
