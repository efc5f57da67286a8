import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, DEVELOPMENT_OIN, loadConfig } from './app.config.js';

// Production also needs the seals' signing key and sink (tamper-evidence-config.spec.ts).
const SEALING = {
  AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString(),
  AUDIT_SEAL_SINK: 'https://seals.example.nl/hook',
};

describe('loadConfig', () => {
  it('gives development defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.APP_MODE).toBe('development');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EVENT_STORE).toBe('postgres');
  });

  it('parses numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', PROJECTIONS_ENABLED: 'false' });
    expect(config.PORT).toBe(8080);
    expect(config.PROJECTIONS_ENABLED).toBe(false);
  });

  it('reads every optional setting from the environment', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/app',
      EVENT_STORE: 'eventstoredb',
      EVENTSTOREDB_URL: 'esdb://es:2113?tls=false',
      OIDC_ISSUER: 'https://login.example.nl',
      OIDC_AUDIENCE: 'egep',
      OIDC_JWKS_URL: 'https://login.example.nl/jwks',
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://db/app',
      EVENTSTOREDB_URL: 'esdb://es:2113?tls=false',
      OIDC_ISSUER: 'https://login.example.nl',
      OIDC_AUDIENCE: 'egep',
      OIDC_JWKS_URL: 'https://login.example.nl/jwks',
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
  });

  it('bounds every database statement and lock wait, 10 s and 5 s unless configured', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({
      statementTimeoutMs: 10_000,
      lockTimeoutMs: 5_000,
    });
    const config = loadConfig({ DB_STATEMENT_TIMEOUT_MS: '1500', DB_LOCK_TIMEOUT_MS: '700' });
    expect(config.databaseTimeouts).toEqual({ statementTimeoutMs: 1500, lockTimeoutMs: 700 });
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '0', DB_LOCK_TIMEOUT_MS: 'x' })).toThrow(
      /DB_STATEMENT_TIMEOUT_MS[\s\S]*DB_LOCK_TIMEOUT_MS/,
    );
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', EVENT_STORE: 'kafka' })).toThrow(
      /PORT[\s\S]*EVENT_STORE/,
    );
  });

  it('refuses a production configuration without an OIDC issuer', () => {
    const attempt = () =>
      loadConfig({
        APP_MODE: 'production',
        DATABASE_URL: 'postgres://db/app',
        OIDC_AUDIENCE: 'egep',
        MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/OIDC_ISSUER: required in production/);
  });

  it('refuses a dev clock start in production, and a malformed one anywhere', () => {
    const production = {
      APP_MODE: 'production',
      DATABASE_URL: 'postgres://db/app',
      OIDC_ISSUER: 'https://login.example.nl',
      OIDC_AUDIENCE: 'egep',
      MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      ORGANISATION_OIN: '00000001001234567000',
      ...SEALING,
    };
    expect(() => loadConfig(production)).not.toThrow();
    expect(() => loadConfig({ ...production, DEV_CLOCK_START: '2027-01-01T00:00:00Z' })).toThrow(
      /DEV_CLOCK_START: development only/,
    );
    expect(() => loadConfig({ DEV_CLOCK_START: 'tomorrow' })).toThrow(/DEV_CLOCK_START/);
    expect(loadConfig({ DEV_CLOCK_START: '2027-01-01T00:00:00Z' }).DEV_CLOCK_START).toBe(
      '2027-01-01T00:00:00Z',
    );
  });

  it('names the organisation by its OIN: a placeholder in development, configured in production', () => {
    expect(loadConfig({}).organisationOin).toBe(DEVELOPMENT_OIN);
    expect(loadConfig({ ORGANISATION_OIN: '00000001001234567000' }).organisationOin).toBe(
      '00000001001234567000',
    );
    for (const wrong of ['1234567890', '0000000100123456700X', '000000010012345670001']) {
      expect(() => loadConfig({ ORGANISATION_OIN: wrong })).toThrow(
        /ORGANISATION_OIN: must be an OIN of 20 digits/,
      );
    }
    const production = {
      APP_MODE: 'production',
      DATABASE_URL: 'postgres://db/app',
      OIDC_ISSUER: 'https://login.example.nl',
      OIDC_AUDIENCE: 'egep',
      MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      ...SEALING,
    };
    expect(() => loadConfig(production)).toThrow(/ORGANISATION_OIN: required in production/);
    expect(() => loadConfig({ ...production, ORGANISATION_OIN: DEVELOPMENT_OIN })).toThrow(
      /ORGANISATION_OIN: the development placeholder/,
    );
    expect(
      loadConfig({ ...production, ORGANISATION_OIN: '00000001001234567000' }).organisationOin,
    ).toBe('00000001001234567000');
  });

  it('needs a server URL for EventStoreDB', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTOREDB_URL/);
  });
});
