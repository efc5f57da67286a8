import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ZgwConnection } from '../config/app.config.js';
import type { ZgwCatalogi } from '../config/municipalities.js';
import { ZgwClient } from '../src/zaaksysteem/zgw-client.js';
import { ZgwOutboxStatus } from '../src/zaaksysteem/zgw-outbox.status.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { zgwEnv } from './support/zgw/zgw-fixtures.js';
import {
  DAAN_BSN,
  lifecycle,
  PAULIEN_BSN,
  type LifecycleIds,
} from './support/zgw/zgw-lifecycle.js';

/**
 * The live tier: the same lifecycle as zaaksysteem.e2e-spec.ts against a real zaaksysteem (Open
 * Zaak, see docs/zgw.md "A live test against Open Zaak"), looked at afterwards through its own
 * API. Runs only when ZGW_TEST_ZAKEN_API_URL and its credentials are set.
 */
const env = process.env;
const live: ZgwConnection | undefined =
  env.ZGW_TEST_ZAKEN_API_URL &&
  env.ZGW_TEST_BESLUITEN_API_URL &&
  env.ZGW_TEST_CLIENT_ID &&
  env.ZGW_TEST_SECRET &&
  env.ZGW_TEST_RSIN &&
  env.ZGW_TEST_CATALOGI
    ? {
        zakenApiUrl: env.ZGW_TEST_ZAKEN_API_URL,
        besluitenApiUrl: env.ZGW_TEST_BESLUITEN_API_URL,
        clientId: env.ZGW_TEST_CLIENT_ID,
        secret: env.ZGW_TEST_SECRET,
        rsin: env.ZGW_TEST_RSIN,
      }
    : undefined;

if (!live) {
  // Visible in every test run, so nobody mistakes the skip for a pass. Straight to stderr: Jest
  // swallows the console of a file whose tests are all skipped.
  process.stderr.write(
    'Zaaksysteem live tier SKIPPED: set ZGW_TEST_ZAKEN_API_URL, ZGW_TEST_BESLUITEN_API_URL, ' +
      'ZGW_TEST_CLIENT_ID, ZGW_TEST_SECRET, ZGW_TEST_RSIN and ZGW_TEST_CATALOGI (docs/zgw.md) to run it\n',
  );
}

(live ? describe : describe.skip)(
  live
    ? 'the lifecycle against a real Open Zaak'
    : 'the lifecycle against a real Open Zaak (skipped: ZGW_TEST_ZAKEN_API_URL is not set)',
  () => {
    let t: TestApp;
    let s: HttpSession;
    let dir: string;
    let ids: LifecycleIds;
    const connection = live!;
    const client = new ZgwClient(connection);

    beforeAll(async () => {
      const catalogi = JSON.parse(readFileSync(env.ZGW_TEST_CATALOGI!, 'utf8')) as ZgwCatalogi;
      dir = mkdtempSync(join(tmpdir(), 'egep-zgw-live-'));
      t = await startTestApp({ ...zgwEnv(connection, dir, catalogi), ZGW_POLL_MS: '100' });
      s = httpSession(t);
      ids = await (await lifecycle(t, s)).run();
      await s.settled();
      const status = t.app.get(ZgwOutboxStatus);
      const deadline = Date.now() + 60_000;
      while ((await status.backlog()).backlog > 0) {
        if (Date.now() > deadline) throw new Error('the outbox was not sent within 60 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const list = (path: string, filters: Record<string, string>) =>
      client.list(`${path}?${new URLSearchParams(filters)}`);

    it('registers both zaken once, the second following the first, with their statussen, rollen, resultaat and besluit', async () => {
      const first = await client.findZaak(`GZP-${ids.firstPlan}`);
      const second = await client.findZaak(`GZP-${ids.secondPlan}`);
      expect(first).toEqual(expect.any(String));
      expect(second).toEqual(expect.any(String));
      const zaken = connection.zakenApiUrl;
      const [kept] = await list(`${zaken}/zaken`, {
        identificatie: `GZP-${ids.secondPlan}`,
        bronorganisatie: connection.rsin,
      });
      expect(kept.relevanteAndereZaken).toEqual([{ url: first, aardRelatie: 'vervolg' }]);
      expect(await list(`${zaken}/statussen`, { zaak: first! })).toHaveLength(5);
      expect(await list(`${zaken}/statussen`, { zaak: second! })).toHaveLength(1);
      const rollen = await list(`${zaken}/rollen`, { zaak: first! });
      const bsns = rollen
        .map((r) => (r.betrokkeneIdentificatie as { inpBsn?: string }).inpBsn)
        .filter(Boolean);
      expect(bsns).toEqual([PAULIEN_BSN]);
      expect(bsns).not.toContain(DAAN_BSN);
      expect(rollen).toHaveLength(5);
      expect(await list(`${zaken}/rollen`, { zaak: second! })).toHaveLength(3);
      expect(await list(`${zaken}/resultaten`, { zaak: first! })).toHaveLength(1);
      expect(await list(`${connection.besluitenApiUrl}/besluiten`, { zaak: first! })).toHaveLength(
        1,
      );
    });
  },
);
