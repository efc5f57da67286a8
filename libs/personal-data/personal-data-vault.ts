import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

const PREFIX = 'pd1';
const IV_BYTES = 12;

/** What `open` returns once a member's key was destroyed (crypto-shredding). */
export const ERASED = Object.freeze({ erased: true as const });
export type Erased = typeof ERASED;

export function isErased(value: unknown): value is Erased {
  return value === ERASED;
}

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
  private readonly keys = new Map<string, Buffer | null>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly masterKey: Buffer,
  ) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
  }

  async seal(subjectId: string, value: unknown): Promise<string> {
    const key = await this.key(subjectId, true);
    if (!key)
      throw new Error(`Personal data of ${subjectId} was erased; nothing new can be stored`);
    const sealed = encrypt(key, Buffer.from(JSON.stringify(value), 'utf8'));
    return `${PREFIX}:${subjectId}:${sealed.toString('base64')}`;
  }

  /**
   * A stable pseudonym for a person, keyed by the master key: the same person always gets the
   * same one, and nobody without the key can link it back to the id.
   */
  pseudonym(subjectId: string): string {
    const digest = createHmac('sha256', this.masterKey).update(`pseudonym:${subjectId}`).digest();
    return `P-${digest.toString('base64url').slice(0, 10)}`;
  }

  async open<T>(sealed: string): Promise<T | Erased> {
    const [prefix, subjectId, body] = sealed.split(':');
    if (prefix !== PREFIX || !subjectId || !body) throw new Error('Not sealed personal data');
    const key = await this.key(subjectId, false);
    if (!key) return ERASED;
    return JSON.parse(decrypt(key, Buffer.from(body, 'base64')).toString('utf8')) as T;
  }

  private async key(subjectId: string, create: boolean): Promise<Buffer | null> {
    const cached = this.keys.get(subjectId);
    if (cached !== undefined) return cached;
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
    const wrapped = rows[0]?.wrapped_key ?? null;
    const key = wrapped ? decrypt(this.masterKey, wrapped) : null;
    if (this.keys.size > 50_000) this.keys.clear();
    this.keys.set(subjectId, key);
    return key;
  }
}
