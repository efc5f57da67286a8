import { mkdir, open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sealFieldsProblem, sealStatement } from './seal-statement.js';

/**
 * Where a copy of every seal goes, outside the database (AUDIT_SEAL_SINK): someone who rewrites
 * the database and its seals table still has to rewrite this copy too, kept by another custodian.
 */

/** A seal as the sink keeps it: the statement's fields, the statement and its signature. */
export interface SinkSeal {
  readonly sealId: string;
  /** Events sealed: the Merkle tree's size. */
  readonly size: number;
  /** The Merkle tree hash, 64 lowercase hex digits. */
  readonly root: string;
  readonly sealedAt: string;
  readonly keyId: string;
  /** Ed25519 over the statement's UTF-8 bytes, base64url. */
  readonly signature: string;
  /** The signed text (seal-statement.ts), kept as signed. */
  readonly statement: string;
}

export interface SealSink {
  /** Resolves once the seal is durably kept; rejects otherwise (the caller retries). */
  write(seal: SinkSeal): Promise<void>;
}

export class SealSinkError extends Error {
  override readonly name = 'SealSinkError';
}

export interface SinkProblem {
  /** 1-based line of seals.jsonl. */
  readonly line: number;
  readonly problem: string;
}

export interface SinkContents {
  readonly seals: SinkSeal[];
  /** Every line that is not a seal; none is skipped silently. */
  readonly problems: SinkProblem[];
}

/** The file of a DirectorySink, in its directory. */
export const SEALS_FILE = 'seals.jsonl';

/**
 * One JSON line per seal appended to `<dir>/seals.jsonl`. The file is only ever opened to append
 * (flag 'a', O_APPEND), and each write is flushed to disk (fsync) before it resolves. Point it at
 * storage another custodian keeps: a mount the database's administrators cannot write, a file
 * made append-only (`chattr +a`), or a directory shipped to WORM storage.
 */
export class DirectorySink implements SealSink {
  readonly dir: string;
  readonly file: string;
  /** Writes of this sink, one after the other, so lines never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.file = join(this.dir, SEALS_FILE);
  }

  write(seal: SinkSeal): Promise<void> {
    const written = this.#queue.then(() => this.#append(`${JSON.stringify(sinkRecord(seal))}\n`));
    this.#queue = written.catch(() => undefined);
    return written;
  }

  async #append(line: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = await open(this.file, 'a');
    let created: boolean;
    try {
      created = (await file.stat()).size === 0;
      await file.appendFile(line, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    // A new file's name is durable only once its directory is.
    if (created) await syncDirectory(this.dir);
  }

  /** Every line of the file read back; a missing file is an empty sink. */
  async readAll(): Promise<SinkContents> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { seals: [], problems: [] };
      throw error;
    }
    const lines = text.split('\n');
    const last = lines.pop();
    const seals: SinkSeal[] = [];
    const problems: SinkProblem[] = [];
    lines.forEach((line, i) => {
      const result = parseSinkLine(line);
      if (typeof result === 'string') problems.push({ line: i + 1, problem: result });
      else seals.push(result);
    });
    if (last !== '') {
      problems.push({ line: lines.length + 1, problem: 'the last line has no LF (a torn write)' });
    }
    return { seals, problems };
  }
}

/**
 * POSTs each seal as JSON (`application/json`, the fields of SinkSeal) to a URL; anything but a
 * 2xx answer within `timeoutMs` rejects, redirects included (a POST is not followed).
 */
export class WebhookSink implements SealSink {
  readonly url: string;
  readonly timeoutMs: number;

  constructor(url: string, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SealSinkError('A webhook sink needs an http(s) URL');
    }
    this.url = url;
    this.timeoutMs = timeoutMs;
  }

  async write(seal: SinkSeal): Promise<void> {
    const where = redacted(this.url);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sinkRecord(seal)),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
      throw new SealSinkError(`The seal webhook ${where} failed: ${reason}`, { cause: error });
    }
    // The body is of no interest, but unread it would hold the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status > 299) {
      throw new SealSinkError(`The seal webhook ${where} answered ${response.status}`);
    }
  }
}

export interface SealSinkConfig {
  /** AUDIT_SEAL_SINK: `file:///absolute/dir` or `http(s)://...`. */
  readonly sink?: string;
  readonly dataDir: string;
  readonly production: boolean;
}

/**
 * The configured sink; without one, development keeps its seals in `<dataDir>/seals` and
 * production refuses to start.
 */
export function sealSinkFromConfig({ sink, dataDir, production }: SealSinkConfig): SealSink {
  if (!sink) {
    if (production) {
      throw new SealSinkError(
        'AUDIT_SEAL_SINK: required in production (file:///dir or https://...): every seal is ' +
          'also kept outside the database',
      );
    }
    return new DirectorySink(resolve(dataDir, 'seals'));
  }
  const problem = sealSinkUrlProblem(sink);
  if (problem) throw new SealSinkError(`AUDIT_SEAL_SINK: ${problem}`);
  const url = new URL(sink);
  return url.protocol === 'file:' ? new DirectorySink(fileURLToPath(url)) : new WebhookSink(sink);
}

/** Why a sink URL is unusable, or undefined when it is a file:/// or http(s) URL (start-up). */
export function sealSinkUrlProblem(value: string): string | undefined {
  const hint = 'must be a file:///absolute/dir or http(s):// URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return hint;
  }
  if (url.protocol === 'file:') {
    if (url.host !== '' || url.search !== '' || url.hash !== '') {
      return 'a file: URL names a local directory: file:///absolute/dir';
    }
    try {
      fileURLToPath(url);
    } catch {
      return hint;
    }
    return undefined;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    return url.hostname === '' ? hint : undefined;
  }
  return hint;
}

/**
 * The fields of a seal in a fixed order, nothing else; throws for a seal that `readAll` would
 * report, so that no sink is sent one.
 */
function sinkRecord(seal: SinkSeal): SinkSeal {
  const { sealId, size, root, sealedAt, keyId, signature, statement } = seal;
  const record = { sealId, size, root, sealedAt, keyId, signature, statement };
  const parsed = parseSinkLine(JSON.stringify(record));
  if (typeof parsed === 'string') throw new SealSinkError(`Not a seal: ${parsed}`);
  return record;
}

const SINK_FIELDS = ['sealId', 'size', 'root', 'sealedAt', 'keyId', 'signature', 'statement'];

/** The seal of a line of seals.jsonl, or why it is none. */
function parseSinkLine(line: string): SinkSeal | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const record = value as Record<string, unknown>;
  const missing = SINK_FIELDS.filter((key) => !(key in record));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const extra = Object.keys(record).filter((key) => !SINK_FIELDS.includes(key));
  if (extra.length > 0) return `unknown field ${extra.join(', ')}`;
  for (const key of ['sealId', 'root', 'sealedAt', 'keyId', 'signature', 'statement']) {
    if (typeof record[key] !== 'string') return `${key} is not a string`;
  }
  const seal = record as unknown as SinkSeal;
  const problem = sealFieldsProblem(seal);
  if (problem) return problem;
  if (seal.statement !== sealStatement(seal)) return 'the statement is not that of its fields';
  return seal;
}

/** Makes a directory entry durable; a platform that cannot open a directory skips it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw error;
  } finally {
    await handle.close();
  }
}

/** The URL without credentials, query or fragment, which may carry a token. */
function redacted(url: string): string {
  const { origin, pathname } = new URL(url);
  return `${origin}${pathname}`;
}

/** Nest injection token of the configured sink (AUDIT_SEAL_SINK). */
export const SEAL_SINK = Symbol('SEAL_SINK');
