import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { Response } from 'supertest';
import { ConfigError, loadConfig } from '../config/app.config.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const AUDIENCE = 'egep-api';
const TEAM = randomUUID();
const MASTER_KEY = randomBytes(32).toString('base64');
/** Production refuses to start without the organisation's OIN (the CloudEvents source). */
const ORGANISATION_OIN = '00000001001234567000';
/** Nor without the key that signs the event log's seals and a sink outside the database. */
const AUDIT_SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();
const AUDIT_SEAL_SINK = pathToFileURL(join(tmpdir(), `egep-seals-${randomUUID()}`)).href;

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/** A tiny OIDC issuer on 127.0.0.1: discovery document and JWKS, with request counters. */
interface Issuer {
  readonly url: string;
  readonly key: SigningKey;
  discoveryRequests: number;
  jwksRequests: number;
  /** When the JWKS was last served (Date.now()). */
  lastJwksAt: number;
  /** While down, every connection is dropped (the identity provider is unreachable). */
  down: boolean;
  publish(key: SigningKey): void;
  close(): Promise<void>;
}

async function startIssuer(): Promise<Issuer> {
  const key = await newKey('key-1');
  const published: SigningKey[] = [key];
  const issuer: Issuer = {
    url: '',
    key,
    discoveryRequests: 0,
    jwksRequests: 0,
    lastJwksAt: 0,
    down: false,
    publish: (next) => void published.push(next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    if (issuer.down) return void request.socket.destroy();
    const json = (body: unknown) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/.well-known/openid-configuration') {
      issuer.discoveryRequests += 1;
      return json({ issuer: issuer.url, jwks_uri: `${issuer.url}/protocol/openid-connect/certs` });
    }
    if (request.url === '/protocol/openid-connect/certs') {
      issuer.jwksRequests += 1;
      issuer.lastJwksAt = Date.now();
      return json({ keys: published.map((k) => k.jwk) });
    }
    response.writeHead(404).end();
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (issuer as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return issuer;
}

interface TokenOptions {
  key?: SigningKey;
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  subject?: string | null;
}

function sign(iss: Issuer, claims: JWTPayload = {}, options: TokenOptions = {}): Promise<string> {
  const key = options.key ?? iss.key;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    name: 'Sanne de Vries',
    organisation: 'SLT Haven',
    roles: ['professional'],
    teams: [TEAM],
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? iss.url)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'prof-sanne');
  return jwt.sign(key.privateKey);
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const family = () => ({
  teamId: TEAM,
  members: [
    {
      givenName: 'Paulien',
      familyName: 'Jansen',
      dateOfBirth: '2002-03-14',
      role: 'parent',
      bsn: '111222333',
    },
  ],
  network: [],
});

function expectUnauthorized(response: Response): void {
  expect(response.status).toBe(401);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
  expect(response.body).toMatchObject({ status: 401, type: 'urn:egep:problem:unauthorized' });
}

const productionEnv = (issuer: Issuer): Record<string, string> => ({
  APP_MODE: 'production',
  OIDC_ISSUER: issuer.url,
  OIDC_AUDIENCE: AUDIENCE,
  MASTER_KEY,
  ORGANISATION_OIN,
  AUDIT_SIGNING_KEY,
  AUDIT_SEAL_SINK,
});

describe('a production configuration', () => {
  it('refuses to start without an OIDC issuer', () => {
    const env = {
      APP_MODE: 'production',
      DATABASE_URL: 'postgres://egep:egep@127.0.0.1:5432/egep',
      OIDC_AUDIENCE: AUDIENCE,
      MASTER_KEY,
      ORGANISATION_OIN,
      AUDIT_SIGNING_KEY,
      AUDIT_SEAL_SINK,
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/OIDC_ISSUER: required in production/);
    expect(
      loadConfig({ ...env, OIDC_ISSUER: 'https://login.example.nl/realms/egep' }).APP_MODE,
    ).toBe('production');
  });
});

describe('authentication in production mode (OIDC issuer and JWKS)', () => {
  let issuer: Issuer;
  let t: TestApp;
  let valid: string;
  let familyId: string;

  beforeAll(async () => {
    issuer = await startIssuer();
    t = await startTestApp(productionEnv(issuer));
    valid = await sign(issuer);
  });
  afterAll(async () => {
    await t?.close();
    await issuer?.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('accepts a valid token of the issuer: registers a family and reads it back', async () => {
    const created = await t.http
      .post('/api/v1/families')
      .auth(valid, { type: 'bearer' })
      .send(family())
      .expect(201);
    familyId = created.body.familyId;

    const view = await t.http
      .get(`/api/v1/families/${familyId}`)
      .auth(valid, { type: 'bearer' })
      .set('X-Consistent-After', created.body.position)
      .expect(200);
    expect(view.body).toMatchObject({ familyId, teamId: TEAM });
    expect(issuer.discoveryRequests).toBe(1);
    expect(issuer.jwksRequests).toBe(1);
  });

  it('caches the keys: further requests do not fetch the discovery document or the JWKS', async () => {
    const before = { discovery: issuer.discoveryRequests, jwks: issuer.jwksRequests };
    for (let i = 0; i < 5; i += 1) {
      await t.http
        .get(`/api/v1/families/${familyId}`)
        .auth(await sign(issuer, { name: `Sanne ${i}` }), { type: 'bearer' })
        .expect(200);
    }
    expect({ discovery: issuer.discoveryRequests, jwks: issuer.jwksRequests }).toEqual(before);
  });

  describe('answers 401 with problem details and WWW-Authenticate: Bearer', () => {
    const read = (token?: string) => {
      const get = t.http.get(`/api/v1/families/${familyId}`);
      return token === undefined ? get : get.set('Authorization', `Bearer ${token}`);
    };

    it('without a token', async () => {
      expectUnauthorized(await read());
      expectUnauthorized(await t.http.post('/api/v1/families').send(family()));
    });

    it('for a scheme other than Bearer', async () => {
      expectUnauthorized(
        await t.http.get(`/api/v1/families/${familyId}`).set('Authorization', `Basic ${valid}`),
      );
    });

    it('for a malformed token', async () => {
      expectUnauthorized(await read('not-a-jwt'));
      expectUnauthorized(await read('a.b.c'));
      expectUnauthorized(await read(valid.split('.').slice(0, 2).join('.')));
    });

    it('for an expired token', async () => {
      expectUnauthorized(await read(await sign(issuer, {}, { expiresIn: -120 })));
    });

    it('for a token signed by another key under the issuer key id (forged)', async () => {
      const forger = await newKey(issuer.key.kid);
      expectUnauthorized(await read(await sign(issuer, {}, { key: forger })));
    });

    it('for a token signed by a key the issuer does not publish (unknown kid)', async () => {
      expectUnauthorized(await read(await sign(issuer, {}, { key: await newKey('stranger') })));
    });

    it('for a token whose payload was altered after signing (tampered)', async () => {
      const [header, , signature] = valid.split('.');
      const claims = JSON.parse(Buffer.from(valid.split('.')[1], 'base64url').toString());
      const elevated = b64url({
        ...claims,
        roles: ['professional', 'admin'],
        teams: [randomUUID()],
      });
      expectUnauthorized(await read(`${header}.${elevated}.${signature}`));
    });

    it('for a genuine token whose claims hold a NUL or another control character, naming the claim', async () => {
      const cases: Array<[string, JWTPayload, TokenOptions]> = [
        ['sub', {}, { subject: 'prof-\u0000sanne' }],
        ['organisation', { organisation: 'SLT\u0000Haven' }, {}],
        ['name', { name: 'Sanne\u001b[2J' }, {}],
        ['teams', { teams: [TEAM, `${TEAM}\u0000`] }, {}],
      ];
      for (const [claim, claims, options] of cases) {
        const response = await read(await sign(issuer, claims, options));
        expectUnauthorized(response);
        expect({ claim, errors: response.body.errors }).toEqual({
          claim,
          errors: [{ field: claim, messages: [expect.stringMatching(/control characters/)] }],
        });
      }
    });

    it('for a token of another issuer', async () => {
      expectUnauthorized(
        await read(await sign(issuer, {}, { issuer: 'https://evil.example.com/realms/egep' })),
      );
      expectUnauthorized(await read(await sign(issuer, {}, { issuer: 'urn:egep:dev' })));
    });

    it('for a token for another audience', async () => {
      expectUnauthorized(await read(await sign(issuer, {}, { audience: 'another-api' })));
    });

    it('for an unsigned token (alg: none)', async () => {
      const payload = JSON.parse(Buffer.from(valid.split('.')[1], 'base64url').toString());
      expectUnauthorized(await read(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`));
      expectUnauthorized(
        await read(`${b64url({ alg: 'none', kid: issuer.key.kid })}.${b64url(payload)}.`),
      );
    });

    it('for an HS256 token signed with a guessed secret', async () => {
      for (const secret of ['secret', AUDIENCE, issuer.url]) {
        const hs256 = await new SignJWT({ roles: ['professional'], teams: [TEAM] })
          .setProtectedHeader({ alg: 'HS256', kid: issuer.key.kid })
          .setSubject('prof-sanne')
          .setIssuer(issuer.url)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(secret));
        expectUnauthorized(await read(hs256));
      }
    });

    it('for a token without a subject', async () => {
      expectUnauthorized(await read(await sign(issuer, {}, { subject: null })));
    });

    it('and none of these fetched the JWKS again within the cooldown', () => {
      // jose refetches on an unknown kid at most once per 30 s (cooldownDuration).
      expect(issuer.jwksRequests).toBe(1);
    });
  });

  describe('the development endpoints', () => {
    it('do not exist: no token is issued and the clock cannot be read or moved', async () => {
      const tokens = await t.http
        .post('/api/v1/dev/tokens')
        .send({ sub: 'prof-sanne', name: 'Sanne', organisation: 'SLT Haven', roles: ['admin'] });
      const moveClock = await t.http.post('/api/v1/dev/clock').send({ days: 365 });
      const readClock = await t.http.get('/api/v1/dev/clock');

      for (const response of [tokens, moveClock, readClock]) {
        // Not registered at all (404), rather than registered and guarded (401).
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.token).toBeUndefined();
        expect(response.body.now).toBeUndefined();
      }
      // Also not for an authenticated caller.
      const authenticated = await t.http
        .post('/api/v1/dev/clock')
        .auth(valid, { type: 'bearer' })
        .send({ days: 365 });
      expect(authenticated.status).toBe(404);
      expect(Math.abs(t.infra.clock.now().getTime() - Date.now())).toBeLessThan(60_000);
    });
  });

  it('keeps GET /health public', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.body.status).toBe('ok');
  });

  describe('key rotation', () => {
    it('accepts tokens signed with a newly published key once the JWKS cooldown has passed', async () => {
      const rotated = await newKey('key-2');
      issuer.publish(rotated);
      const token = await sign(issuer, {}, { key: rotated });
      const fetchedAt = issuer.lastJwksAt;
      const jwksBefore = issuer.jwksRequests;
      const realNow = Date.now.bind(Date);

      // Within 30 s of the last JWKS fetch, jose does not refetch for an unknown kid: 401.
      jest.spyOn(Date, 'now').mockImplementation(() => Math.max(realNow(), fetchedAt + 1_000));
      expectUnauthorized(
        await t.http.get(`/api/v1/families/${familyId}`).auth(token, { type: 'bearer' }),
      );
      expect(issuer.jwksRequests).toBe(jwksBefore);

      // After the cooldown, the unknown kid makes it refetch the JWKS once, and the token passes.
      jest.spyOn(Date, 'now').mockImplementation(() => Math.max(realNow(), fetchedAt + 31_000));
      await t.http.get(`/api/v1/families/${familyId}`).auth(token, { type: 'bearer' }).expect(200);
      expect(issuer.jwksRequests).toBe(jwksBefore + 1);

      // The old key still works, from the cache.
      await t.http.get(`/api/v1/families/${familyId}`).auth(valid, { type: 'bearer' }).expect(200);
      await t.http.get(`/api/v1/families/${familyId}`).auth(token, { type: 'bearer' }).expect(200);
      expect(issuer.jwksRequests).toBe(jwksBefore + 1);
    });

    it('answers 503 once the cached key set is stale and cannot be refreshed', async () => {
      // jose keeps keys for 10 minutes (cacheMaxAge); after that it must refetch before verifying
      // and does not fall back to the stale keys.
      const fetchedAt = issuer.lastJwksAt;
      const realNow = Date.now.bind(Date);
      jest
        .spyOn(Date, 'now')
        .mockImplementation(() => Math.max(realNow(), fetchedAt + 11 * 60_000));
      issuer.down = true;
      try {
        const response = await t.http
          .get(`/api/v1/families/${familyId}`)
          .auth(valid, { type: 'bearer' });
        expect(response.status).toBe(503);
        expect(response.body.type).toBe('urn:egep:problem:identity-provider-unavailable');
      } finally {
        issuer.down = false;
      }
      await t.http.get(`/api/v1/families/${familyId}`).auth(valid, { type: 'bearer' }).expect(200);
    });
  });
});

describe('authentication when the identity provider is unreachable', () => {
  let issuer: Issuer;
  let t: TestApp;

  beforeAll(async () => {
    issuer = await startIssuer();
    issuer.down = true;
    t = await startTestApp(productionEnv(issuer));
  });
  afterAll(async () => {
    await t?.close();
    await issuer?.close();
  });

  const registerFamily = (token: string) =>
    t.http.post('/api/v1/families').auth(token, { type: 'bearer' }).send(family());

  it('answers 503 with problem details for a well-formed token, not 401 or 500', async () => {
    const response = await registerFamily(await sign(issuer));
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.body).toMatchObject({
      status: 503,
      type: 'urn:egep:problem:identity-provider-unavailable',
    });
  });

  it('still answers 401 for tokens that are wrong whatever the keys', async () => {
    expectUnauthorized(await t.http.get('/api/v1/me/inbox'));
    expectUnauthorized(await registerFamily('not-a-jwt'));
    const payload = b64url({ sub: 'x', iss: issuer.url, aud: AUDIENCE });
    expectUnauthorized(await registerFamily(`${b64url({ alg: 'none' })}.${payload}.`));
  });

  it('recovers when the identity provider is back (a failed discovery is not cached)', async () => {
    issuer.down = false;
    const token = await sign(issuer);
    // Concurrent first requests share one discovery and one JWKS fetch.
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => registerFamily(token)));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(issuer.discoveryRequests).toBe(1);
    expect(issuer.jwksRequests).toBe(1);
  });
});
