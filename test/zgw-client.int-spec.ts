import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ZgwConnection } from '../config/app.config.js';
import type { ZgwCall } from '../src/zaaksysteem/zgw-calls.js';
import { ZgwClient, ZgwUnavailable } from '../src/zaaksysteem/zgw-client.js';
import { EMPTY_ZGW_FOLD } from '../src/zaaksysteem/zgw-fold.js';
import { zgwCalls } from '../src/zaaksysteem/zgw-mapping.js';
import { zgwRequest, type ZgwRequest } from '../src/zaaksysteem/zgw-request.js';
import {
  TEST_CATALOGI,
  testConnection,
  ZGW_CLIENT_ID,
  ZGW_RSIN,
  ZGW_SECRET,
} from './support/zgw/zgw-fixtures.js';
import { ZgwTestServer } from './support/zgw/zgw-test-server.js';

const RSIN = ZGW_RSIN;
const catalogi = TEST_CATALOGI;

describe('the ZGW client against a server that checks every request against the specifications', () => {
  let zgw: ZgwTestServer;
  let connection: ZgwConnection;
  let client: ZgwClient;
  const zaakUrls = new Map<string, string>();

  /** The calls of a plan just opened (a zaak and its first status), as the mapping makes them. */
  function opened(planId: string): [ZgwCall, ZgwCall] {
    const { calls } = zgwCalls(
      EMPTY_ZGW_FOLD,
      {
        type: 'gezinsplan.PlanOpened',
        data: { planId, familyId: 'f-1', openedAt: '2026-12-04T09:00:00.000Z' },
      },
      new Map(),
      { rsin: RSIN, catalogi, retentionYears: 20 },
    );
    expect(calls.map((c) => c.kind)).toEqual(['createZaak', 'createStatus']);
    return [calls[0], calls[1]];
  }
  const request = (call: ZgwCall): ZgwRequest =>
    zgwRequest(call, connection, {
      zaak: (identificatie) => zaakUrls.get(identificatie)!,
      rol: () => {
        throw new Error('no rol in these tests');
      },
    });
  const createZaak = (call: ZgwCall) =>
    client.createZaakOnce(request(call) as ZgwRequest & { body: { identificatie: string } });

  beforeAll(async () => {
    zgw = await ZgwTestServer.start({ secret: ZGW_SECRET, clientId: ZGW_CLIENT_ID });
    connection = testConnection(zgw);
    client = new ZgwClient(connection);
  });
  afterEach(() => {
    expect(zgw.violations).toEqual([]);
    zgw.reset();
    zaakUrls.clear();
  });
  afterAll(() => zgw?.stop());

  it('registers a zaak and its status with requests valid against the Zaken API', async () => {
    const [zaak, status] = opened('3f0c1e52-0000-4000-8000-000000000001');
    const url = await createZaak(zaak);
    zaakUrls.set('GZP-3f0c1e52-0000-4000-8000-000000000001', url);
    const answer = await client.send(request(status));
    expect(answer.status).toBe(201);
    expect(zgw.all('zaken')).toHaveLength(1);
    expect(zgw.all('statussen')).toHaveLength(1);
    // Looked up first, then created: nothing is created twice.
    expect(zgw.requests.map((r) => [r.method, r.url.split('?')[0], r.outcome])).toEqual([
      ['GET', '/zaken/api/v1/zaken', 200],
      ['POST', '/zaken/api/v1/zaken', 201],
      ['POST', '/zaken/api/v1/statussen', 201],
    ]);
  });

  it('finds a zaak whose create answer was lost instead of creating it again', async () => {
    const [zaak] = opened('3f0c1e52-0000-4000-8000-000000000002');
    zgw.dropAnswerAfterCreate(1);
    await expect(createZaak(zaak)).rejects.toBeInstanceOf(ZgwUnavailable);
    expect(zgw.all('zaken')).toHaveLength(1);
    const url = await createZaak(zaak);
    expect(zgw.all('zaken')).toHaveLength(1);
    expect(url).toBe(zgw.all('zaken')[0].url);
  });

  it('reports a refusing or unreachable zaaksysteem as unavailable, and works again after', async () => {
    const [zaak] = opened('3f0c1e52-0000-4000-8000-000000000003');
    zgw.refuse(1);
    await expect(createZaak(zaak)).rejects.toMatchObject({ status: 503 });
    await zgw.down();
    await expect(createZaak(zaak)).rejects.toMatchObject({ status: 0 });
    await zgw.up();
    await createZaak(zaak);
    expect(zgw.all('zaken')).toHaveLength(1);
  });
});
