import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, isValidRsin, loadConfig } from './app.config.js';
import { loadMunicipalityConfig } from './municipalities.js';
import { zgwSettings } from '../src/zaaksysteem/zgw-settings.js';

const ZGW_ENV = {
  ZGW_ZAKEN_API_URL: 'https://openzaak.almere.nl/zaken/api/v1',
  ZGW_BESLUITEN_API_URL: 'https://openzaak.almere.nl/besluiten/api/v1',
  ZGW_CLIENT_ID: 'een-gezin-een-plan',
  ZGW_SECRET: 'a-long-shared-secret',
  ZGW_RSIN: '002220647',
};

const CAT = 'https://openzaak.almere.nl/catalogi/api/v1';
const ZGW_BLOCK = {
  zaaktype: `${CAT}/zaaktypen/1`,
  statustypen: {
    opened: `${CAT}/statustypen/1`,
    agreed: `${CAT}/statustypen/2`,
    escalated: `${CAT}/statustypen/3`,
    closed: `${CAT}/statustypen/4`,
  },
  roltypen: {
    zaakcoordinator: `${CAT}/roltypen/1`,
    behandelaar: `${CAT}/roltypen/2`,
    belanghebbende: `${CAT}/roltypen/3`,
    beslisser: `${CAT}/roltypen/4`,
  },
  resultaattypen: {
    goals_achieved: `${CAT}/resultaattypen/1`,
    family_moved: `${CAT}/resultaattypen/2`,
    transferred: `${CAT}/resultaattypen/3`,
    family_declined_support: `${CAT}/resultaattypen/4`,
    other: `${CAT}/resultaattypen/5`,
  },
  besluittype: `${CAT}/besluittypen/1`,
};

const dir = mkdtempSync(join(tmpdir(), 'zgw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function overrideFile(content: unknown): string {
  const path = join(dir, `override-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('the zaaksysteem connection (ZGW_*)', () => {
  it('Given no ZGW_ setting, then there is no connection and the feature is off', () => {
    expect(loadConfig({}).zgw).toBeNull();
  });

  it('Given all five, then the connection holds them', () => {
    expect(loadConfig(ZGW_ENV).zgw).toEqual({
      zakenApiUrl: ZGW_ENV.ZGW_ZAKEN_API_URL,
      besluitenApiUrl: ZGW_ENV.ZGW_BESLUITEN_API_URL,
      clientId: ZGW_ENV.ZGW_CLIENT_ID,
      secret: ZGW_ENV.ZGW_SECRET,
      rsin: ZGW_ENV.ZGW_RSIN,
    });
  });

  it('Given only some, then start-up fails naming each one missing', () => {
    const { ZGW_SECRET: _s, ZGW_RSIN: _r, ...partial } = ZGW_ENV;
    const attempt = () => loadConfig(partial);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/ZGW_SECRET: required[\s\S]*ZGW_RSIN: required/);
    expect(attempt).not.toThrow(/ZGW_CLIENT_ID/);
  });

  it('Given an API URL that is not a base URL ending in /api/v1, then start-up fails', () => {
    expect(() =>
      loadConfig({ ...ZGW_ENV, ZGW_ZAKEN_API_URL: 'https://openzaak.almere.nl/zaken' }),
    ).toThrow(/ZGW_ZAKEN_API_URL: must be the API's base URL/);
    expect(() => loadConfig({ ...ZGW_ENV, ZGW_BESLUITEN_API_URL: 'not a url/api/v1' })).toThrow(
      /ZGW_BESLUITEN_API_URL/,
    );
  });

  it('Given an RSIN failing the 11-proof, then start-up fails', () => {
    expect(isValidRsin('002220647')).toBe(true);
    expect(isValidRsin('002220648')).toBe(false);
    expect(isValidRsin('00222064')).toBe(false);
    expect(() => loadConfig({ ...ZGW_ENV, ZGW_RSIN: '123456789' })).toThrow(/ZGW_RSIN: must be/);
  });
});

describe('a municipality’s zgw block (MUNICIPALITY_CONFIG)', () => {
  it('Given none, then the municipality has no Catalogi and the feature stays off', () => {
    const almere = loadMunicipalityConfig('almere');
    expect(almere.zgw).toBeUndefined();
    expect(zgwSettings(loadConfig(ZGW_ENV), almere)).toBeNull();
  });

  it('Given a complete block and the connection, then the feature is on with both', () => {
    const almere = loadMunicipalityConfig('almere', overrideFile({ almere: { zgw: ZGW_BLOCK } }));
    expect(almere.zgw).toEqual(ZGW_BLOCK);
    expect(zgwSettings(loadConfig(ZGW_ENV), almere)).toEqual({
      connection: loadConfig(ZGW_ENV).zgw,
      catalogi: ZGW_BLOCK,
      retentionYears: 20,
    });
    // The block alone is not enough: without the connection the feature is off.
    expect(zgwSettings(loadConfig({}), almere)).toBeNull();
  });

  it('Given an incomplete or wrong block, then the error names every problem', () => {
    const { besluittype: _b, ...withoutBesluittype } = ZGW_BLOCK;
    const block = {
      ...withoutBesluittype,
      zaaktype: 'zaaktype-1',
      statustypen: { ...ZGW_BLOCK.statustypen, closed: undefined, reopened: `${CAT}/x` },
      resultaattypen: { ...ZGW_BLOCK.resultaattypen, other: 42 },
    };
    const attempt = () =>
      loadMunicipalityConfig('almere', overrideFile({ almere: { zgw: block } }));
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('almere.zgw.zaaktype must be an http(s) URL');
    expect(message).toContain('almere.zgw.besluittype is missing');
    expect(message).toContain('almere.zgw.statustypen.closed is missing');
    expect(message).toContain('almere.zgw.statustypen.reopened is not a known setting');
    expect(message).toContain('almere.zgw.resultaattypen.other must be an http(s) URL');
  });

  it('Given a block that is not an object, then it is refused', () => {
    expect(() =>
      loadMunicipalityConfig('almere', overrideFile({ almere: { zgw: 'yes' } })),
    ).toThrow(/almere\.zgw must be an object/);
  });
});
