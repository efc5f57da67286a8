import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from './app.config.js';

const ed25519Pem = () =>
  generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const PRODUCTION = {
  APP_MODE: 'production',
  DATABASE_URL: 'postgres://db/app',
  OIDC_ISSUER: 'https://login.example.nl',
  OIDC_AUDIENCE: 'egep',
  MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
  ORGANISATION_OIN: '00000001001234567000',
};

const SEALING = {
  AUDIT_SIGNING_KEY: ed25519Pem(),
  AUDIT_SEAL_SINK: 'file:///var/lib/egep-seals',
};

function messageOf(attempt: () => unknown): string {
  try {
    attempt();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('sealing the event log (AUDIT_*, SEAL_*)', () => {
  it('Given nothing in development, then seals are made every 10000 events or 60 minutes with a generated key', () => {
    const config = loadConfig({});
    expect(config.AUDIT_SIGNING_KEY).toBeUndefined();
    expect(config.AUDIT_SEAL_SINK).toBeUndefined();
    expect(config.SEAL_EVERY_EVENTS).toBe(10_000);
    expect(config.SEAL_INTERVAL_MINUTES).toBe(60);
  });

  it('Given all four, then the configuration holds them', () => {
    const key = ed25519Pem();
    const config = loadConfig({
      AUDIT_SIGNING_KEY: key,
      AUDIT_SEAL_SINK: 'https://seals.example.nl/hook',
      SEAL_EVERY_EVENTS: '500',
      SEAL_INTERVAL_MINUTES: '15',
    });
    expect(config).toMatchObject({
      AUDIT_SIGNING_KEY: key,
      AUDIT_SEAL_SINK: 'https://seals.example.nl/hook',
      SEAL_EVERY_EVENTS: 500,
      SEAL_INTERVAL_MINUTES: 15,
    });
  });

  it('Given production without a signing key or a sink, then start-up fails naming both', () => {
    const attempt = () => loadConfig(PRODUCTION);
    expect(attempt).toThrow(ConfigError);
    const message = messageOf(attempt);
    expect(message).toMatch(/AUDIT_SIGNING_KEY: required in production: the Ed25519 key/);
    expect(message).toMatch(/AUDIT_SEAL_SINK: required in production: where a copy of every seal/);
    expect(() =>
      loadConfig({ ...PRODUCTION, AUDIT_SIGNING_KEY: SEALING.AUDIT_SIGNING_KEY }),
    ).toThrow(/AUDIT_SEAL_SINK: required/);
    expect(() => loadConfig({ ...PRODUCTION, AUDIT_SEAL_SINK: SEALING.AUDIT_SEAL_SINK })).toThrow(
      /AUDIT_SIGNING_KEY: required/,
    );
    expect(loadConfig({ ...PRODUCTION, ...SEALING }).APP_MODE).toBe('production');
  });

  it('Given a signing key that is no Ed25519 private key, then start-up fails without repeating it', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    for (const key of ['hunter2-not-a-key', rsa]) {
      const message = messageOf(() => loadConfig({ AUDIT_SIGNING_KEY: key }));
      expect(message).toMatch(/AUDIT_SIGNING_KEY: /);
      expect(message).not.toContain(key);
    }
    // Base64 of the DER, a one-line form for an environment variable.
    const der = ed25519Pem()
      .replace(/-----[A-Z ]+-----/g, '')
      .replace(/\s+/g, '');
    expect(loadConfig({ AUDIT_SIGNING_KEY: der }).AUDIT_SIGNING_KEY).toBe(der);
  });

  it('Given a sink that is no file:/// or http(s):// URL, then start-up fails', () => {
    for (const sink of ['/var/seals', 'file://host/var/seals', 's3://bucket/seals', 'seals']) {
      expect(() => loadConfig({ AUDIT_SEAL_SINK: sink })).toThrow(/AUDIT_SEAL_SINK: /);
    }
    for (const sink of ['file:///var/seals', 'http://seals:8080/hook', 'https://x.example.nl/']) {
      expect(loadConfig({ AUDIT_SEAL_SINK: sink }).AUDIT_SEAL_SINK).toBe(sink);
    }
  });

  it('Given a seal interval or event count out of bounds, then start-up fails naming each', () => {
    expect(() => loadConfig({ SEAL_EVERY_EVENTS: '0', SEAL_INTERVAL_MINUTES: '0' })).toThrow(
      /SEAL_EVERY_EVENTS[\s\S]*SEAL_INTERVAL_MINUTES/,
    );
    expect(() => loadConfig({ SEAL_EVERY_EVENTS: '1.5' })).toThrow(/SEAL_EVERY_EVENTS/);
    expect(() => loadConfig({ SEAL_INTERVAL_MINUTES: 'hourly' })).toThrow(/SEAL_INTERVAL_MINUTES/);
    expect(() => loadConfig({ SEAL_INTERVAL_MINUTES: '10081' })).toThrow(/SEAL_INTERVAL_MINUTES/);
    expect(loadConfig({ SEAL_INTERVAL_MINUTES: '10080' }).SEAL_INTERVAL_MINUTES).toBe(10_080);
    expect(loadConfig({ SEAL_EVERY_EVENTS: '1' }).SEAL_EVERY_EVENTS).toBe(1);
  });
});
