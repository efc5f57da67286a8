import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../../config/app.config.js';
import { JwtAuthGuard } from '#libs/auth/jwt-auth.guard.js';
import { DevTokenService, OidcTokenVerifier, TOKEN_VERIFIER } from '#libs/auth/token-verifier.js';
import { localSecret } from './local-secrets.js';

/** Production verifies OIDC tokens; development verifies tokens it signed itself. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    const verifier = config.isDevelopment
      ? new DevTokenService(localSecret(config.DATA_DIR, 'dev-token'))
      : new OidcTokenVerifier(config.OIDC_ISSUER!, config.OIDC_AUDIENCE!, config.OIDC_JWKS_URL);
    return {
      module: AuthModule,
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
      exports: [TOKEN_VERIFIER],
    };
  }
}
