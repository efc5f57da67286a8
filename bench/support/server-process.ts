import { spawn, type ChildProcess } from 'node:child_process';
import { PRODUCTION_NODE_ARGS } from '../../config/production-node-args.js';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/src/main.js, next to dist/bench where this file runs from. */
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface ServerOptions {
  readonly databaseUrl: string;
  readonly masterKey: string;
  /** Production's level is `info`: one log line per request, which is part of the cost. */
  readonly logLevel?: string;
  readonly env?: Record<string, string>;
  /** Flags for node itself, e.g. --cpu-prof to see where a request's time goes. */
  readonly nodeArgs?: string[];
}

export interface ServerMemory {
  /** VmHWM: peak resident set since start (or since the last resetPeak). */
  readonly peakMiB: number;
  /** VmRSS: resident set now. */
  readonly rssMiB: number;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Where the server's stdout and stderr (its pino log) go. */
  readonly logFile: string;
  memory(): ServerMemory;
  /** Starts a new VmHWM window (Linux: "5" to clear_refs); false when the kernel refuses. */
  resetPeak(): boolean;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function statusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/**
 * The built server as production runs it: its own process (so its memory is its own and the
 * load generator's is not counted), its own port, development mode only for dev tokens.
 */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'egep-bench-server-'));
  const logFile = join(dataDir, 'server.log');
  const log = openSync(logFile, 'a');
  const fromEnvironment = process.env.BENCH_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const nodeArgs = [...PRODUCTION_NODE_ARGS, ...fromEnvironment, ...(options.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      ...process.env,
      APP_MODE: 'development',
      DATABASE_URL: options.databaseUrl,
      MASTER_KEY: options.masterKey,
      // Only the dev-token secret lives here; the database is DATABASE_URL.
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      TIMER_INTERVAL_MS: '0',
      LOG_LEVEL: options.logLevel ?? 'info',
      PORT: String(port),
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  let gone = false;
  child.once('exit', () => (gone = true));

  const stop = async () => {
    if (!gone) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // Ready when it answers HTTP; migrations on a large database may take a while.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (gone) {
      const why = tail(logFile);
      await stop();
      throw new Error(`the server exited during start-up:\n${why}`);
    }
    try {
      if ((await fetch(`${url}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const why = tail(logFile);
      await stop();
      throw new Error(`the server did not answer within 120 s:\n${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    pid,
    logFile,
    memory: () => ({
      peakMiB: statusKiB(pid, 'VmHWM') / 1024,
      rssMiB: statusKiB(pid, 'VmRSS') / 1024,
    }),
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    stop,
  };
}
