import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CONTROL_CHARACTER_MESSAGE } from '../http/control-characters.js';
import { problem, ProblemException, type ProblemDocument } from '../http/problem-details.js';
import type { AuthUser } from './auth-user.js';
import {
  InvalidClaimError,
  IssuerUnavailableError,
  TOKEN_VERIFIER,
  type TokenVerifier,
} from './token-verifier.js';

const PUBLIC = 'egep:public';

/** Marks a route that needs no token (health, metrics, docs, dev tokens). */
export const Public = () => SetMetadata(PUBLIC, true);

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);

const unauthorized = (detail: string, extensions: Partial<ProblemDocument> = {}) =>
  new ProblemException(problem(401, 'unauthorized', detail, extensions), {
    'WWW-Authenticate': 'Bearer',
  });

/** The token may be fine: the keys to check it cannot be fetched. Not the caller's fault. */
const identityProviderUnavailable = () =>
  new ProblemException(
    problem(
      503,
      'identity-provider-unavailable',
      'The identity provider cannot be reached to verify the token; try again later',
    ),
    { 'Retry-After': '10' },
  );

/** Global guard: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const [scheme, token] = (request.header('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token)
      throw unauthorized('A bearer token is required');
    try {
      request.user = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof IssuerUnavailableError) throw identityProviderUnavailable();
      if (error instanceof InvalidClaimError) {
        throw unauthorized(error.message, {
          errors: [{ field: error.claim, messages: [CONTROL_CHARACTER_MESSAGE] }],
        });
      }
      throw unauthorized('The bearer token is not valid');
    }
    return true;
  }
}
