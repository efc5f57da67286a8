import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { hasControlCharacter } from '../http/control-characters.js';
import { ROLES, type AuthUser, type Role } from './auth-user.js';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** A genuine token whose claim the service cannot take (the guard names it in its 401). */
export class InvalidClaimError extends InvalidTokenError {
  constructor(readonly claim: string) {
    super(`The token's ${claim} claim contains a control character`);
  }
}

/** The identity provider (discovery or key set) cannot be reached: not the caller's fault. */
export class IssuerUnavailableError extends Error {
  override readonly name = 'IssuerUnavailableError';
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
}

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** The claims the service reads: each ends up in events, queries and the access log. */
const USER_CLAIMS = ['sub', 'name', 'organisation', 'roles', 'teams', 'memberId'] as const;

function toUser(payload: JWTPayload): AuthUser {
  const claims = payload as JWTPayload & Record<string, unknown>;
  // A careless identity provider's NUL would make every request with the token fail in
  // PostgreSQL (a 500); the same characters are refused in every request body.
  for (const claim of USER_CLAIMS) {
    const values: unknown[] = Array.isArray(claims[claim]) ? claims[claim] : [claims[claim]];
    if (values.some((v) => typeof v === 'string' && hasControlCharacter(v))) {
      throw new InvalidClaimError(claim);
    }
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : [];
  if (!claims.sub) throw new InvalidTokenError('The token has no subject');
  return {
    sub: claims.sub,
    name: typeof claims.name === 'string' ? claims.name : claims.sub,
    organisation: typeof claims.organisation === 'string' ? claims.organisation : '',
    roles: roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r as string)),
    teams: strings(claims.teams),
    memberId: typeof claims.memberId === 'string' ? claims.memberId : undefined,
  };
}

async function verifyWith(
  token: string,
  key: Uint8Array | JWTVerifyGetKey,
  issuer: string,
  audience: string,
  algorithms: string[],
): Promise<AuthUser> {
  try {
    const options = { issuer, audience, algorithms };
    const { payload } =
      key instanceof Uint8Array
        ? await jwtVerify(token, key, options)
        : await jwtVerify(token, key, options);
    return toUser(payload);
  } catch (error) {
    if (error instanceof InvalidTokenError || error instanceof IssuerUnavailableError) throw error;
    throw new InvalidTokenError('The token is not valid');
  }
}

/**
 * Asymmetric algorithms only, checked before any key is looked up: `none` and HMAC (a shared
 * secret) never pass, and such tokens are rejected even while the issuer cannot be reached.
 */
const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/**
 * What a key set answers about the token itself. Anything else it throws is a failure to fetch
 * the keys (network, timeout, non-200, not a key set; fetch's errors may come from another realm).
 */
const isTokenError = (error: unknown) =>
  error instanceof errors.JWKSNoMatchingKey ||
  error instanceof errors.JWKSMultipleMatchingKeys ||
  error instanceof errors.JOSENotSupported;

/** Production: tokens of the configured OIDC issuer, checked against its JWKS. */
export class OidcTokenVerifier implements TokenVerifier {
  /** Shared by concurrent requests; forgotten when discovery fails, so that it is retried. */
  private jwks?: Promise<JWTVerifyGetKey>;

  constructor(
    private readonly issuer: string,
    private readonly audience: string,
    private readonly jwksUrl?: string,
  ) {}

  verify(token: string): Promise<AuthUser> {
    return verifyWith(token, this.key, this.issuer, this.audience, OIDC_ALGORITHMS);
  }

  /** Called by jose only for a well-formed token with an allowed algorithm. */
  private readonly key: JWTVerifyGetKey = async (header, token) => {
    this.jwks ??= this.remoteJwks().catch((error: unknown) => {
      this.jwks = undefined;
      throw error;
    });
    const jwks = await this.jwks;
    try {
      return await jwks(header, token);
    } catch (error) {
      if (isTokenError(error)) throw error;
      throw new IssuerUnavailableError('The JSON Web Key Set cannot be fetched', { cause: error });
    }
  };

  private async remoteJwks(): Promise<JWTVerifyGetKey> {
    const discovery = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    try {
      let url = this.jwksUrl;
      if (!url) {
        const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
        url = ((await response.json()) as { jwks_uri?: string }).jwks_uri;
        if (!url) throw new Error(`${discovery} has no jwks_uri`);
      }
      return createRemoteJWKSet(new URL(url));
    } catch (error) {
      throw new IssuerUnavailableError('The OIDC discovery failed', { cause: error });
    }
  }
}

export const DEV_ISSUER = 'urn:egep:dev';
export const DEV_AUDIENCE = 'egep-api';

/** Development mode: tokens signed with a local key by POST /api/v1/dev/tokens. */
export class DevTokenService implements TokenVerifier {
  constructor(private readonly secret: Uint8Array) {}

  verify(token: string): Promise<AuthUser> {
    return verifyWith(token, this.secret, DEV_ISSUER, DEV_AUDIENCE, ['HS256']);
  }

  issue(user: AuthUser, ttlSeconds = 12 * 3600): Promise<string> {
    const { sub, ...claims } = user;
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.secret);
  }
}
