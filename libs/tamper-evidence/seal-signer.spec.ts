import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEVELOPMENT_KEY_FILE,
  keyIdOf,
  parseSigningKey,
  SealSigner,
  SealSignerConfigError,
  signingKeyProblem,
  verifySeal,
} from './seal-signer.js';
import { sealStatement } from './seal-statement.js';

const root = mkdtempSync(join(tmpdir(), 'seal-signer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `data-${(dirs += 1)}`);

const STATEMENT = sealStatement({
  size: 3,
  root: createHash('sha256').update('three events').digest('hex'),
  sealedAt: '2027-01-15T09:00:00.000Z',
  sealId: '0190d3c6-6b1e-7c3a-9f2e-5b8d4a1c2e3f',
});

function newKeyPem(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

const pemToDerBase64 = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

const signer = SealSigner.fromConfig({ signingKey: newKeyPem(), dataDir: root, production: true });

describe('the seal signer', () => {
  it('signs a statement so that it verifies with the published JWK', () => {
    const signature = signer.sign(STATEMENT);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifySeal(STATEMENT, signature, signer.publicJwk())).toBe(true);
    expect(verifySeal(Buffer.from(STATEMENT), signature, signer.publicJwk())).toBe(true);
  });

  it('publishes an RFC 8037 JWK whose kid is the key id', () => {
    const jwk = signer.publicJwk();
    expect(jwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: signer.keyId,
      alg: 'EdDSA',
      use: 'sig',
    });
    // keyId: base64url of the first 16 bytes of SHA-256 of the raw 32-byte public key.
    const raw = Buffer.from(jwk.x, 'base64url');
    expect(raw).toHaveLength(32);
    const expected = createHash('sha256')
      .update(raw)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expect(signer.keyId).toBe(expected);
    expect(keyIdOf(raw)).toBe(expected);
    expect(signer.keyId).toHaveLength(22);
  });

  it('can be checked by an outsider with nothing but node:crypto', () => {
    const signature = signer.sign(STATEMENT);
    const { kty, crv, x } = JSON.parse(JSON.stringify(signer.publicJwk()));
    const key = createPublicKey({ key: { kty, crv, x }, format: 'jwk' });
    expect(
      verify(null, Buffer.from(STATEMENT, 'utf8'), key, Buffer.from(signature, 'base64url')),
    ).toBe(true);
  });

  it('takes the key as PKCS#8 PEM, PEM with escaped newlines, or base64 of the DER', () => {
    const pem = newKeyPem();
    const forms = [pem, pem.trim().replaceAll('\n', '\\n'), pemToDerBase64(pem)];
    const ids = forms.map(
      (signingKey) => SealSigner.fromConfig({ signingKey, dataDir: root, production: true }).keyId,
    );
    expect(new Set(ids).size).toBe(1);
  });

  it('signs as RFC 8032 says (§7.1, test 1), with the key given as base64 of its PKCS#8 DER', () => {
    // 302e020100300506032b657004220420 || the 32-byte secret key of the test vector.
    const signingKey = 'MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g';
    const vector = SealSigner.fromConfig({ signingKey, dataDir: root, production: true });
    expect(Buffer.from(vector.publicJwk().x, 'base64url').toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    const signature = vector.sign('');
    expect(Buffer.from(signature, 'base64url').toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(verifySeal('', signature, vector.publicJwk())).toBe(true);
  });

  it('refuses a key that is not an Ed25519 private key, without repeating it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const publicPem = createPublicKey(newKeyPem()).export({ format: 'pem', type: 'spki' });
    for (const value of ['secret-not-a-key', rsa, publicPem.toString(), 'AAAA', 'not base64!']) {
      const attempt = () =>
        SealSigner.fromConfig({ signingKey: value, dataDir: root, production: true });
      expect(attempt).toThrow(SealSignerConfigError);
      expect(attempt).toThrow(/AUDIT_SIGNING_KEY/);
      expect(attempt).not.toThrow(value);
      expect(signingKeyProblem(value)).toEqual(expect.any(String));
    }
    expect(() => parseSigningKey(rsa)).toThrow(/must be an Ed25519 key, not rsa/);
    expect(signingKeyProblem(newKeyPem())).toBeUndefined();
  });

  it('refuses to start in production without a key', () => {
    const dataDir = freshDir();
    const attempt = () => SealSigner.fromConfig({ dataDir, production: true });
    expect(attempt).toThrow(SealSignerConfigError);
    expect(attempt).toThrow(/AUDIT_SIGNING_KEY: required in production/);
    expect(() => statSync(join(dataDir, DEVELOPMENT_KEY_FILE))).toThrow();
  });

  it('generates a development key once, mode 0600, and reuses it after a restart', () => {
    const dataDir = freshDir();
    const first = SealSigner.fromConfig({ dataDir, production: false });
    const path = join(dataDir, DEVELOPMENT_KEY_FILE);
    const pem = readFileSync(path, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);

    const restarted = SealSigner.fromConfig({ dataDir, production: false });
    expect(restarted.keyId).toBe(first.keyId);
    expect(readFileSync(path, 'utf8')).toBe(pem);
    expect(verifySeal(STATEMENT, first.sign(STATEMENT), restarted.publicJwk())).toBe(true);
  });

  it('uses a configured key in development rather than generating one', () => {
    const dataDir = freshDir();
    const pem = newKeyPem();
    const configured = SealSigner.fromConfig({ signingKey: pem, dataDir, production: false });
    expect(configured.keyId).toBe(SealSigner.fromPrivateKey(parseSigningKey(pem)).keyId);
    expect(() => statSync(join(dataDir, DEVELOPMENT_KEY_FILE))).toThrow();
  });

  it('refuses a damaged development key file rather than replacing it', () => {
    const dataDir = freshDir();
    SealSigner.fromConfig({ dataDir, production: false });
    writeFileSync(join(dataDir, DEVELOPMENT_KEY_FILE), 'damaged');
    expect(() => SealSigner.fromConfig({ dataDir, production: false })).toThrow(
      /audit-signing-key\.pem: not an Ed25519 private key/,
    );
  });
});

describe('verifySeal', () => {
  const signature = signer.sign(STATEMENT);
  const jwk = signer.publicJwk();

  it('fails on a changed statement', () => {
    expect(verifySeal(STATEMENT.replace('size 3', 'size 4'), signature, jwk)).toBe(false);
    expect(verifySeal(STATEMENT.slice(0, -1), signature, jwk)).toBe(false);
    expect(verifySeal(`${STATEMENT}\n`, signature, jwk)).toBe(false);
  });

  it('fails on a changed signature', () => {
    const bytes = Buffer.from(signature, 'base64url');
    for (const i of [0, 31, 32, 63]) {
      const changed = Buffer.from(bytes);
      changed[i] ^= 0x01;
      expect(verifySeal(STATEMENT, changed.toString('base64url'), jwk)).toBe(false);
    }
    // Characters outside base64url, which a lenient decoder would skip.
    expect(verifySeal(STATEMENT, `${signature.slice(0, 85)}!`, jwk)).toBe(false);
    expect(verifySeal(STATEMENT, `${signature}=`, jwk)).toBe(false);
    expect(verifySeal(STATEMENT, `${signature.slice(0, 40)}.${signature.slice(40)}`, jwk)).toBe(
      false,
    );
    // The same 64 bytes in standard base64 (padding) is not how a seal writes them.
    expect(verifySeal(STATEMENT, bytes.toString('base64'), jwk)).toBe(false);
  });

  it('fails under another key', () => {
    const other = SealSigner.fromConfig({
      signingKey: newKeyPem(),
      dataDir: root,
      production: true,
    });
    expect(verifySeal(STATEMENT, signature, other.publicJwk())).toBe(false);
    // Another key under this key's kid is still another key.
    expect(verifySeal(STATEMENT, signature, { ...other.publicJwk(), kid: jwk.kid })).toBe(false);
  });

  it('is false, never an exception, for malformed input', () => {
    const malformedJwks: unknown[] = [
      undefined,
      null,
      'jwk',
      42,
      [],
      {},
      { ...jwk, kty: 'EC' },
      { ...jwk, crv: 'X25519' },
      { ...jwk, crv: 'Ed448' },
      { ...jwk, x: undefined },
      { ...jwk, x: 42 },
      { ...jwk, x: '' },
      { ...jwk, x: jwk.x.slice(1) },
      { ...jwk, x: `${jwk.x}AA` },
      { ...jwk, x: `${jwk.x.slice(0, 42)}!` },
      { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
    ];
    for (const bad of malformedJwks) {
      expect(verifySeal(STATEMENT, signature, bad)).toBe(false);
    }
    const malformedSignatures: unknown[] = [
      undefined,
      null,
      42,
      '',
      'abc',
      signature.slice(1),
      `${signature}AA`,
      'A'.repeat(86),
      '\u0000'.repeat(86),
    ];
    for (const bad of malformedSignatures) {
      expect(verifySeal(STATEMENT, bad as string, jwk)).toBe(false);
    }
    for (const bad of [undefined, null, 42, {}]) {
      expect(verifySeal(bad as unknown as string, signature, jwk)).toBe(false);
    }
  });

  it('reads a private JWK as its public key only', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const privateJwk = privateKey.export({ format: 'jwk' });
    const own = SealSigner.fromPrivateKey(privateKey);
    expect(verifySeal(STATEMENT, own.sign(STATEMENT), privateJwk)).toBe(true);
  });
});
