import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Sealed } from './sealed.js';

const PREFIX = 'pd1';
const IV_BYTES = 12;

/** What `open` returns once a member's key was destroyed (crypto-shredding). */
export const ERASED = Object.freeze({ erased: true as const });
export type Erased = typeof ERASED;

export function isErased(value: unknown): value is Erased {
  return value === ERASED;
}

/** A value written by `seal` (still sealed text in an event, a read model or a history). */
export function isSealed(value: unknown): value is Sealed {
  return typeof value === 'string' && value.startsWith(`${PREFIX}:`);
}

/** `seal` for a person whose key was destroyed: nothing new is stored about them. */
export class PersonalDataErased extends Error {
  override readonly name = 'PersonalDataErased';

  constructor(readonly subjectId: string) {
    super(`Personal data of ${subjectId} was erased; nothing new can be stored`);
  }
}

export interface PersonalDataVaultOptions {
  /**
   * How long a data key stays cached in this process (default 30 s). Every server instance has
   * its own cache, and `shred` can only evict the cache of the instance that runs it: another
   * instance keeps opening that person's data for at most this long after the key was destroyed
   * (it never reads the destroyed key again). A destroyed key is cached without expiry, since
   * nothing brings it back. 0 turns caching of keys off.
   */
  readonly cacheTtlMs?: number;
  /** The clock the TTL is measured on, in milliseconds (default Date.now); tests move it. */
  readonly now?: () => number;
}

interface CachedKey {
  /** null: the key was destroyed (shredded). */
  readonly key: Buffer | null;
  readonly expiresAt: number;
}

const DEFAULT_CACHE_TTL_MS = 30_000;
const MAX_CACHED_KEYS = 50_000;

function encrypt(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + 16));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + 16)), decipher.final()]);
}

/**
 * Encrypts personal data with a key of the person it belongs to, so that destroying that key
 * erases the data everywhere it was copied (events, snapshots, read models) while history stays
 * replayable. Data keys are stored wrapped by the master key from configuration.
 */
export class PersonalDataVault {
  private readonly keys = new Map<string, CachedKey>();
  /** Key loads in flight: a plan view opens dozens of texts of one subject at once. */
  private readonly loading = new Map<string, Promise<Buffer | null>>();
  /** Subjects whose key is wanted and not yet asked for: read together in one statement. */
  private batch: Map<
    string,
    { resolve: (key: Buffer | null) => void; reject: (e: unknown) => void }
  > | null = null;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;
  private readonly indexKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly masterKey: Buffer,
    options: PersonalDataVaultOptions = {},
  ) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.now = options.now ?? Date.now;
    // A key of its own, derived from the master key: the database never holds it.
    this.indexKey = Buffer.from(hkdfSync('sha256', masterKey, 'egep', 'blind-index:v1', 32));
  }

  async seal(subjectId: string, value: unknown): Promise<Sealed> {
    const key = await this.key(subjectId, true);
    if (!key) throw new PersonalDataErased(subjectId);
    const sealed = encrypt(key, Buffer.from(JSON.stringify(value), 'utf8'));
    return `${PREFIX}:${subjectId}:${sealed.toString('base64')}` as Sealed;
  }

  /**
   * A stable pseudonym for a person, keyed by the master key: the same person always gets the
   * same one, and nobody without the key can link it back to the id.
   */
  pseudonym(subjectId: string): string {
    const digest = createHmac('sha256', this.masterKey).update(`pseudonym:${subjectId}`).digest();
    return `P-${digest.toString('base64url').slice(0, 10)}`;
  }

  /**
   * A keyed blind index of an identifying value (a BSN, an address), so that sealed data can be
   * found by equality without a plaintext column and without opening every record: the same
   * kind and value always give the same digest, and without the master key nobody can compute
   * one to test a guess. Normalise the value first; `kind` keeps kinds apart.
   */
  blindIndex(kind: string, value: string): string {
    return createHmac('sha256', this.indexKey).update(`${kind}\n${value}`).digest('base64url');
  }

  /** A sealed text, or null when there is none or it was erased. */
  async openText(sealed: string | null): Promise<string | null> {
    if (sealed === null) return null;
    const text = await this.open<string>(sealed);
    return isErased(text) ? null : text;
  }

  async open<T>(sealed: string): Promise<T | Erased> {
    const [prefix, subjectId, body] = sealed.split(':');
    if (prefix !== PREFIX || !subjectId || !body) throw new Error('Not sealed personal data');
    const key = await this.key(subjectId, false);
    if (!key) return ERASED;
    return JSON.parse(decrypt(key, Buffer.from(body, 'base64')).toString('utf8')) as T;
  }

  /**
   * Crypto-shredding: destroys the subject's data key, so everything ever sealed with it (in
   * events, snapshots, read models, backups made from now on) opens as ERASED, and `seal` for
   * the subject throws PersonalDataErased. A subject that never had a key gets a tombstone, so
   * none is made for it later. Idempotent; answers whether a key was destroyed by this call.
   * Other server instances stop using the key when their cache entry expires (cacheTtlMs).
   */
  async shred(subjectId: string): Promise<boolean> {
    const rows: Array<{ destroyed: number }> = await this.dataSource.query(
      `WITH destroyed AS (
         UPDATE subject_keys SET wrapped_key = NULL, shredded_at = now()
          WHERE subject_id = $1 AND wrapped_key IS NOT NULL
         RETURNING subject_id),
       tombstone AS (
         INSERT INTO subject_keys (subject_id, wrapped_key, shredded_at)
         SELECT $1, NULL, now() WHERE NOT EXISTS (SELECT 1 FROM destroyed)
         ON CONFLICT (subject_id) DO NOTHING)
       SELECT count(*)::int AS destroyed FROM destroyed`,
      [subjectId],
    );
    this.remember(subjectId, null);
    return rows[0].destroyed > 0;
  }

  /** Whether the subject's key was destroyed (false for a subject without any key yet). */
  async isShredded(subjectId: string): Promise<boolean> {
    const cached = this.cached(subjectId);
    if (cached !== undefined) return cached === null;
    const rows: Array<{ shredded: boolean }> = await this.dataSource.query(
      'SELECT wrapped_key IS NULL AS shredded FROM subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    return rows[0]?.shredded ?? false;
  }

  private cached(subjectId: string): Buffer | null | undefined {
    const entry = this.keys.get(subjectId);
    if (!entry) return undefined;
    if (entry.key !== null && entry.expiresAt <= this.now()) {
      this.keys.delete(subjectId);
      return undefined;
    }
    return entry.key;
  }

  private remember(subjectId: string, key: Buffer | null): void {
    if (key !== null && this.cacheTtlMs <= 0) return;
    // A load that raced a shred in this process must not bring the destroyed key back.
    if (key !== null && this.keys.get(subjectId)?.key === null) return;
    if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
    this.keys.set(subjectId, {
      key,
      expiresAt: key === null ? Number.POSITIVE_INFINITY : this.now() + this.cacheTtlMs,
    });
  }

  private async key(subjectId: string, create: boolean): Promise<Buffer | null> {
    const cached = this.cached(subjectId);
    if (cached !== undefined) return cached;
    if (create) return this.load(subjectId, true);
    // Opens share one load per subject: when a key has just expired from the cache, a plan
    // view's dozens of texts of one family would otherwise each query for it (B4).
    let pending = this.loading.get(subjectId);
    if (!pending) {
      pending = this.loadInBatch(subjectId).finally(() => this.loading.delete(subjectId));
      this.loading.set(subjectId, pending);
    }
    return pending;
  }

  /**
   * A family view opens the texts of every member, each sealed with a key of its own, and
   * concurrent requests open others': the keys wanted in one turn of the event loop are read
   * with one statement instead of one each.
   */
  private loadInBatch(subjectId: string): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      if (!this.batch) {
        this.batch = new Map();
        setImmediate(() => void this.readBatch());
      }
      this.batch.set(subjectId, { resolve, reject });
    });
  }

  private async readBatch(): Promise<void> {
    const batch = this.batch!;
    this.batch = null;
    try {
      const rows: Array<{ subject_id: string; wrapped_key: Buffer | null }> =
        await this.dataSource.query(
          'SELECT subject_id, wrapped_key FROM subject_keys WHERE subject_id = ANY($1::text[])',
          [[...batch.keys()]],
        );
      const found = new Map(rows.map((row) => [row.subject_id, row.wrapped_key]));
      for (const [subjectId, waiter] of batch) {
        // No row: nothing was ever sealed for this subject here; not cached, a seal may create it.
        if (!found.has(subjectId)) {
          waiter.resolve(null);
          continue;
        }
        const wrapped = found.get(subjectId)!;
        const key = wrapped ? decrypt(this.masterKey, wrapped) : null;
        this.remember(subjectId, key);
        // A shred in this process while the read was in flight wins (see `remember`).
        waiter.resolve(this.keys.get(subjectId)?.key === null ? null : key);
      }
    } catch (error) {
      for (const waiter of batch.values()) waiter.reject(error);
    }
  }

  private async load(subjectId: string, create: boolean): Promise<Buffer | null> {
    if (create) {
      await this.dataSource.query(
        `INSERT INTO subject_keys (subject_id, wrapped_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [subjectId, encrypt(this.masterKey, randomBytes(32))],
      );
    }
    const rows: Array<{ wrapped_key: Buffer | null }> = await this.dataSource.query(
      'SELECT wrapped_key FROM subject_keys WHERE subject_id = $1',
      [subjectId],
    );
    // No row: nothing was ever sealed for this subject here; not cached, a seal may create it.
    if (!rows[0]) return null;
    const wrapped = rows[0].wrapped_key;
    const key = wrapped ? decrypt(this.masterKey, wrapped) : null;
    this.remember(subjectId, key);
    return key;
  }
}
