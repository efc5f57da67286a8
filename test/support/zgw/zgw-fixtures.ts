import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZgwConnection } from '../../../config/app.config.js';
import type { ZgwCatalogi } from '../../../config/municipalities.js';
import type { ZgwTestServer } from './zgw-test-server.js';

/** The client credentials the test zaaksysteem accepts. */
export const ZGW_SECRET = 'a-test-secret-of-the-zaaksysteem';
export const ZGW_CLIENT_ID = 'een-gezin-een-plan-test';
export const ZGW_RSIN = '002220647';

const CATALOGI = 'https://catalogi.example.nl/catalogi/api/v1';
const typeUrl = (kind: string, name: string) => `${CATALOGI}/${kind}/${name}`;

/** Almere's Catalogi as a test configures them: one URL per type, named after what it is. */
export const TEST_CATALOGI: ZgwCatalogi = {
  zaaktype: typeUrl('zaaktypen', 'gezinsplan'),
  statustypen: {
    opened: typeUrl('statustypen', 'opened'),
    agreed: typeUrl('statustypen', 'agreed'),
    escalated: typeUrl('statustypen', 'escalated'),
    closed: typeUrl('statustypen', 'closed'),
  },
  roltypen: {
    zaakcoordinator: typeUrl('roltypen', 'zaakcoordinator'),
    behandelaar: typeUrl('roltypen', 'behandelaar'),
    belanghebbende: typeUrl('roltypen', 'belanghebbende'),
    beslisser: typeUrl('roltypen', 'beslisser'),
  },
  resultaattypen: {
    goals_achieved: typeUrl('resultaattypen', 'goals_achieved'),
    family_moved: typeUrl('resultaattypen', 'family_moved'),
    transferred: typeUrl('resultaattypen', 'transferred'),
    family_declined_support: typeUrl('resultaattypen', 'family_declined_support'),
    other: typeUrl('resultaattypen', 'other'),
  },
  besluittype: typeUrl('besluittypen', 'brandpunt'),
};

/** The connection to the test zaaksysteem, as config.zgw gives it. */
export function testConnection(zgw: ZgwTestServer): ZgwConnection {
  return {
    zakenApiUrl: zgw.zakenApiUrl,
    besluitenApiUrl: zgw.besluitenApiUrl,
    clientId: ZGW_CLIENT_ID,
    secret: ZGW_SECRET,
    rsin: ZGW_RSIN,
  };
}

/**
 * The environment that turns the registration on: the ZGW_* variables for this connection and
 * a MUNICIPALITY_CONFIG (written into `dir`) that gives Almere these Catalogi.
 */
export function zgwEnv(
  connection: ZgwConnection,
  dir: string,
  catalogi: ZgwCatalogi = TEST_CATALOGI,
): Record<string, string> {
  const file = join(dir, 'municipalities.json');
  writeFileSync(file, JSON.stringify({ almere: { zgw: catalogi } }));
  return {
    ZGW_ZAKEN_API_URL: connection.zakenApiUrl,
    ZGW_BESLUITEN_API_URL: connection.besluitenApiUrl,
    ZGW_CLIENT_ID: connection.clientId,
    ZGW_SECRET: connection.secret,
    ZGW_RSIN: connection.rsin,
    MUNICIPALITY_CONFIG: file,
  };
}
