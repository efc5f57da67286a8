import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The Ed25519 key that signs seals. The database never holds it: it comes from configuration
 * (AUDIT_SIGNING_KEY, kept in a secret store in production), so someone who can rewrite the
 * database cannot sign a seal of the rewritten history.
 */

/** The public key as published at `GET /audit/seals/public-key` (RFC 8037 OKP JWK). */
export interface SealPublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  /** The raw 32-byte public key, base64url without padding. */
  readonly x: string;
  /** The key id every seal names: see `keyIdOf`. */
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

export interface SealSignerConfig {
  /** AUDIT_SIGNING_KEY: an Ed25519 private key, PKCS#8 PEM or base64 of its DER. */
  readonly signingKey?: string;
  /** DATA_DIR: where development keeps its generated key. */
  readonly dataDir: string;
  readonly production: boolean;
}

export class SealSignerConfigError extends Error {
  override readonly name = 'SealSignerConfigError';
}

/** The file under DATA_DIR that holds the generated development key (PKCS#8 PEM, mode 0600). */
export const DEVELOPMENT_KEY_FILE = 'audit-signing-key.pem';

const ED25519_SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

export class SealSigner {
  /** base64url of the first 16 bytes of SHA-256 of the raw public key. */
  readonly keyId: string;
  readonly #privateKey: KeyObject;
  readonly #jwk: SealPublicJwk;

  private constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    const { x } = createPublicKey(privateKey).export({ format: 'jwk' });
    this.keyId = keyIdOf(Buffer.from(x!, 'base64url'));
    this.#jwk = { kty: 'OKP', crv: 'Ed25519', x: x!, kid: this.keyId, alg: 'EdDSA', use: 'sig' };
  }

  /**
   * The configured key. Without one, development generates a key under
   * `<dataDir>/audit-signing-key.pem` once and reuses it after a restart; production refuses.
   */
  static fromConfig({ signingKey, dataDir, production }: SealSignerConfig): SealSigner {
    if (signingKey) return new SealSigner(parseSigningKey(signingKey));
    if (production) {
      throw new SealSignerConfigError(
        'AUDIT_SIGNING_KEY: required in production (an Ed25519 private key, PKCS#8 PEM or base64 ' +
          'of its DER, from a secret store): without it no seal can be signed',
      );
    }
    return new SealSigner(developmentKey(dataDir));
  }

  /** A signer of an Ed25519 private key, such as one generateKeyPairSync('ed25519') made. */
  static fromPrivateKey(privateKey: KeyObject): SealSigner {
    if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
      throw new SealSignerConfigError('A seal signer needs an Ed25519 private key');
    }
    return new SealSigner(privateKey);
  }

  /** The Ed25519 signature of the statement's UTF-8 bytes, base64url without padding. */
  sign(statement: string): string {
    return sign(null, Buffer.from(statement, 'utf8'), this.#privateKey).toString('base64url');
  }

  publicJwk(): SealPublicJwk {
    return { ...this.#jwk };
  }
}

/** base64url (no padding) of the first 16 bytes of SHA-256 of the raw 32-byte public key. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest().subarray(0, 16).toString('base64url');
}

/**
 * Whether `signature` (base64url, as `sign` writes it) is the Ed25519 signature of the
 * statement's bytes under the JWK's key. Never throws: a malformed signature or JWK is false.
 * Needs nothing but node:crypto, as an outsider's check would:
 *
 * ```js
 * const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
 * crypto.verify(null, Buffer.from(statement, 'utf8'), key, Buffer.from(signature, 'base64url'));
 * ```
 *
 * The JWK's `kid` is not looked at: the key is what it is, whatever it is called.
 */
export function verifySeal(
  statement: string | Uint8Array,
  signature: string,
  jwk: unknown,
): boolean {
  try {
    if (typeof statement !== 'string' && !(statement instanceof Uint8Array)) return false;
    // Strict base64url: Buffer.from ignores characters outside the alphabet, so without this
    // check a changed signature could decode to the same bytes and pass.
    if (typeof signature !== 'string' || !ED25519_SIGNATURE.test(signature)) return false;
    const signatureBytes = Buffer.from(signature, 'base64url');
    if (signatureBytes.toString('base64url') !== signature) return false;
    const key = publicKeyOf(jwk);
    if (!key) return false;
    const bytes = typeof statement === 'string' ? Buffer.from(statement, 'utf8') : statement;
    return verify(null, bytes, key, signatureBytes);
  } catch {
    return false;
  }
}

/** The Ed25519 public key of a JWK, or undefined when it is none. */
function publicKeyOf(jwk: unknown): KeyObject | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined;
  const { kty, crv, x } = jwk as Record<string, unknown>;
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string') return undefined;
  if (!/^[A-Za-z0-9_-]{43}$/.test(x) || Buffer.from(x, 'base64url').toString('base64url') !== x) {
    return undefined;
  }
  // Only the public part: a JWK carrying `d` is still read as its public key.
  return createPublicKey({ key: { kty, crv, x }, format: 'jwk' });
}

/**
 * AUDIT_SIGNING_KEY: an Ed25519 private key as PKCS#8, either PEM ("-----BEGIN PRIVATE KEY-----";
 * newlines may be written as `\n`, as in a one-line environment variable) or base64 of the DER
 * (`openssl pkey -in key.pem -outform DER | base64 -w0`). The error never repeats the value.
 */
export function parseSigningKey(value: string): KeyObject {
  let key: KeyObject;
  try {
    const text = value.trim();
    key = text.startsWith('-----BEGIN')
      ? createPrivateKey({ key: text.replaceAll('\\n', '\n'), format: 'pem' })
      : createPrivateKey({ key: strictBase64(text), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SealSignerConfigError(
      'AUDIT_SIGNING_KEY: not a PKCS#8 private key (PEM, or base64 of its DER)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SealSignerConfigError(
      `AUDIT_SIGNING_KEY: must be an Ed25519 key, not ${key.asymmetricKeyType}`,
    );
  }
  return key;
}

/** Why AUDIT_SIGNING_KEY is unusable, or undefined when it is a usable key (for start-up checks). */
export function signingKeyProblem(value: string): string | undefined {
  try {
    parseSigningKey(value);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^AUDIT_SIGNING_KEY: /, '');
  }
}

function strictBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || bytes.toString('base64') !== compact) {
    throw new Error('not base64');
  }
  return bytes;
}

/**
 * Development only: the key under DATA_DIR, generated on first use. It is written to a
 * temporary file and linked into place, so two processes starting together on one DATA_DIR
 * agree on one key and neither reads a half-written file.
 */
function developmentKey(dataDir: string): KeyObject {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, DEVELOPMENT_KEY_FILE);
  const existing = readIfExists(path);
  if (existing !== undefined) return parseDevelopmentKey(existing, path);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, pem, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return parseDevelopmentKey(readFileSync(path, 'utf8'), path);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseDevelopmentKey(pem: string, path: string): KeyObject {
  try {
    return parseSigningKey(pem);
  } catch {
    throw new SealSignerConfigError(
      `${path}: not an Ed25519 private key (PKCS#8 PEM); remove it and a new one is generated, ` +
        'which the seals signed before do not verify against',
    );
  }
}
