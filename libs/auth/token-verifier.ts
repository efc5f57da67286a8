import {
  createRemoteJWKSet,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ROLES, type AuthUser, type Role } from './auth-user.js';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
}

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

function toUser(payload: JWTPayload): AuthUser {
  const claims = payload as JWTPayload & Record<string, unknown>;
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
): Promise<AuthUser> {
  try {
    const { payload } =
      key instanceof Uint8Array
        ? await jwtVerify(token, key, { issuer, audience, algorithms: ['HS256'] })
        : await jwtVerify(token, key, { issuer, audience });
    return toUser(payload);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    throw new InvalidTokenError('The token is not valid');
  }
}

/** Production: tokens of the configured OIDC issuer, checked against its JWKS. */
export class OidcTokenVerifier implements TokenVerifier {
  private jwks?: JWTVerifyGetKey;

  constructor(
    private readonly issuer: string,
    private readonly audience: string,
    private readonly jwksUrl?: string,
  ) {}

  async verify(token: string): Promise<AuthUser> {
    this.jwks ??= createRemoteJWKSet(new URL(this.jwksUrl ?? (await this.discoverJwksUrl())));
    return verifyWith(token, this.jwks, this.issuer, this.audience);
  }

  private async discoverJwksUrl(): Promise<string> {
    const response = await fetch(
      `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    );
    const document = (await response.json()) as { jwks_uri?: string };
    if (!document.jwks_uri) throw new InvalidTokenError('The issuer publishes no jwks_uri');
    return document.jwks_uri;
  }
}

export const DEV_ISSUER = 'urn:egep:dev';
export const DEV_AUDIENCE = 'egep-api';

/** Development mode: tokens signed with a local key by POST /api/v1/dev/tokens. */
export class DevTokenService implements TokenVerifier {
  constructor(private readonly secret: Uint8Array) {}

  verify(token: string): Promise<AuthUser> {
    return verifyWith(token, this.secret, DEV_ISSUER, DEV_AUDIENCE);
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
