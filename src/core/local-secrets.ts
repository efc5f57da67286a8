import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Development only: a random 32-byte secret kept in DATA_DIR, so dev tokens and encrypted demo
 * data survive a restart. Production takes its secrets from configuration instead.
 */
export function localSecret(dataDir: string, name: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, `${name}.key`);
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600 });
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}
