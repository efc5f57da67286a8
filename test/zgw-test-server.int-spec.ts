import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { ZgwTestServer } from './support/zgw/zgw-test-server.js';

// The test zaaksysteem other specs rely on: it must reject what the official specifications
// reject and accept what they accept, or a spec that finds no violations proves nothing.

const SECRET = 'zgw-test-secret-of-enough-length';
const CLIENT_ID = 'een-gezin-een-plan';
const RSIN = '002564440';
const CATALOGI = 'https://catalogi.example.nl/catalogi/api/v1';

let zgw: ZgwTestServer;

beforeAll(async () => {
  zgw = await ZgwTestServer.start({ secret: SECRET, clientId: CLIENT_ID });
});
afterAll(async () => {
  await zgw.stop();
});
afterEach(() => {
  zgw.reset();
});

async function token(secret = SECRET, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({
    client_id: CLIENT_ID,
    user_id: 'systeem',
    user_representation: 'Een gezin, een plan',
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(CLIENT_ID)
    .setIssuedAt()
    .sign(new TextEncoder().encode(secret));
}

async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const crs =
    url.startsWith(zgw.zakenApiUrl) && !url.includes('/rollen') && !url.includes('/statussen');
  const all: Record<string, string | undefined> = {
    Authorization: `Bearer ${await token()}`,
    ...(crs ? { 'Accept-Crs': 'EPSG:4326', 'Content-Crs': 'EPSG:4326' } : {}),
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...headers,
  };
  const sent = Object.fromEntries(
    Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const response = await fetch(url, {
    method,
    headers: sent,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

let sequence = 0;
function zaak(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    identificatie: `GZP-${++sequence}-${Date.now()}`,
    bronorganisatie: RSIN,
    verantwoordelijkeOrganisatie: RSIN,
    zaaktype: `${CATALOGI}/zaaktypen/0b5c3a8e-5a60-4d4f-9d0b-6ad7d6e0a001`,
    startdatum: '2026-12-04',
    omschrijving: 'Gezinsplan',
    vertrouwelijkheidaanduiding: 'vertrouwelijk',
    ...overrides,
  };
}

async function createZaak(overrides: Record<string, unknown> = {}) {
  const created = await call('POST', `${zgw.zakenApiUrl}/zaken`, zaak(overrides));
  expect(created.status).toBe(201);
  return created.body;
}

describe('the test ZGW server rejects what the specifications reject', () => {
  it('a zaak without its zaaktype, and one with an unknown vertrouwelijkheidaanduiding', async () => {
    const withoutType = zaak();
    delete withoutType.zaaktype;
    const missing = await call('POST', `${zgw.zakenApiUrl}/zaken`, withoutType);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'invalid', status: 400 });
    expect(missing.body.invalidParams).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'zaaktype', code: 'required' })]),
    );

    const secret = await call(
      'POST',
      `${zgw.zakenApiUrl}/zaken`,
      zaak({ vertrouwelijkheidaanduiding: 'geheimpje' }),
    );
    expect(secret.status).toBe(400);
    expect(JSON.stringify(secret.body.invalidParams)).toContain('vertrouwelijkheidaanduiding');
    expect(zgw.violations.map((v) => v.kind)).toEqual(['request', 'request']);
    expect(zgw.all('zaken').some((kept) => kept.vertrouwelijkheidaanduiding === 'geheimpje')).toBe(
      false,
    );
  });

  it('a field the Zaak does not have, and a readOnly one', async () => {
    const unknown = await call('POST', `${zgw.zakenApiUrl}/zaken`, zaak({ bsn: '999993653' }));
    expect(unknown.status).toBe(400);
    const readOnly = await call(
      'POST',
      `${zgw.zakenApiUrl}/zaken`,
      zaak({ einddatum: '2027-01-01' }),
    );
    expect(readOnly.status).toBe(400);
    expect([unknown, readOnly].map((answer) => answer.body.invalidParams)).toEqual([
      [expect.objectContaining({ name: 'bsn' })],
      [expect.objectContaining({ name: 'einddatum' })],
    ]);
    expect(zgw.violations).toHaveLength(2);
  });

  it('a zaken call without Content-Crs, or with another CRS', async () => {
    const without = await call('POST', `${zgw.zakenApiUrl}/zaken`, zaak(), {
      'Content-Crs': undefined,
    });
    expect(without.status).toBe(400);
    expect(without.body.invalidParams).toEqual([
      expect.objectContaining({ name: 'Content-Crs', code: 'required' }),
    ]);
    const other = await call('GET', `${zgw.zakenApiUrl}/zaken?identificatie=x`, undefined, {
      'Accept-Crs': 'EPSG:28992',
    });
    expect(other.status).toBe(400);
    expect(other.body.invalidParams).toEqual([
      expect.objectContaining({ name: 'Accept-Crs', code: 'invalid' }),
    ]);
    expect(zgw.violations).toHaveLength(2);
  });

  it('a request without a token, with a badly signed one, or without the ZGW claims', async () => {
    const url = `${zgw.zakenApiUrl}/zaken`;
    const none = await call('POST', url, zaak(), { Authorization: undefined });
    expect(none.status).toBe(401);
    const forged = await call('POST', url, zaak(), {
      Authorization: `Bearer ${await token('another-secret-of-enough-length')}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'not_authenticated', status: 401 });
    const anonymous = await call('POST', url, zaak(), {
      Authorization: `Bearer ${await token(SECRET, { user_id: undefined })}`,
    });
    expect(anonymous.status).toBe(403);
    const stranger = await call('POST', url, zaak(), {
      Authorization: `Bearer ${await token(SECRET, { client_id: 'someone-else' })}`,
    });
    expect(stranger.status).toBe(403);
    expect(zgw.violations.map((v) => v.kind)).toEqual(['token', 'token', 'token', 'token']);
    expect(zgw.all('zaken')).toHaveLength(0);
  });

  it('a path or method the API does not have, and a status for a zaak that does not exist', async () => {
    expect((await call('GET', `${zgw.zakenApiUrl}/dossiers`)).status).toBe(404);
    expect(
      (await call('DELETE', `${zgw.zakenApiUrl}/statussen/${crypto.randomUUID()}`)).status,
    ).toBe(404);
    const orphan = await call('POST', `${zgw.zakenApiUrl}/statussen`, {
      zaak: `${zgw.zakenApiUrl}/zaken/${crypto.randomUUID()}`,
      statustype: `${CATALOGI}/statustypen/1`,
      datumStatusGezet: '2026-12-04T10:00:00Z',
    });
    expect(orphan.status).toBe(400);
    expect(zgw.violations).toHaveLength(3);
  });
});

describe('the test ZGW server accepts what the specifications accept', () => {
  it('a zaak with a status, rollen, a resultaat and a besluit, and finds it by identificatie', async () => {
    const created = await createZaak();
    expect(created).toMatchObject({ uuid: expect.any(String), rollen: [], status: null });
    expect(created.url).toBe(`${zgw.zakenApiUrl}/zaken/${String(created.uuid)}`);

    const status = await call('POST', `${zgw.zakenApiUrl}/statussen`, {
      zaak: created.url,
      statustype: `${CATALOGI}/statustypen/opened`,
      datumStatusGezet: '2026-12-04T10:00:00Z',
      statustoelichting: 'Plan geopend',
    });
    expect(status.status).toBe(201);
    const coordinator = await call('POST', `${zgw.zakenApiUrl}/rollen`, {
      zaak: created.url,
      betrokkeneType: 'medewerker',
      roltype: `${CATALOGI}/roltypen/zaakcoordinator`,
      roltoelichting: 'casusregisseur',
      betrokkeneIdentificatie: { identificatie: 'm.jansen' },
    });
    expect(coordinator.status).toBe(201);
    const member = await call('POST', `${zgw.zakenApiUrl}/rollen`, {
      zaak: created.url,
      betrokkeneType: 'natuurlijk_persoon',
      roltype: `${CATALOGI}/roltypen/belanghebbende`,
      roltoelichting: 'gezinslid',
      betrokkeneIdentificatie: { inpBsn: '999993653' },
    });
    expect(member.status).toBe(201);
    expect((await call('DELETE', String(member.body.url))).status).toBe(204);
    const besluit = await call('POST', `${zgw.besluitenApiUrl}/besluiten`, {
      verantwoordelijkeOrganisatie: RSIN,
      besluittype: `${CATALOGI}/besluittypen/1`,
      zaak: created.url,
      datum: '2026-12-04',
      ingangsdatum: '2026-12-04',
      toelichting: 'Besluit bij escalatie niveau 2',
    });
    expect(besluit.status).toBe(201);
    const resultaat = await call('POST', `${zgw.zakenApiUrl}/resultaten`, {
      zaak: created.url,
      resultaattype: `${CATALOGI}/resultaattypen/goals_achieved`,
    });
    expect(resultaat.status).toBe(201);

    const query = new URLSearchParams({
      identificatie: String(created.identificatie),
      bronorganisatie: RSIN,
    });
    const found = await call('GET', `${zgw.zakenApiUrl}/zaken?${query.toString()}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(found.body.results).toEqual([
      expect.objectContaining({
        url: created.url,
        status: status.body.url,
        rollen: [coordinator.body.url],
        resultaat: resultaat.body.url,
      }),
    ]);
    expect(zgw.violations).toEqual([]);
  });

  it('a rol whose betrokkeneIdentificatie is of another betrokkeneType is rejected', async () => {
    const created = await createZaak();
    const wrong = await call('POST', `${zgw.zakenApiUrl}/rollen`, {
      zaak: created.url,
      betrokkeneType: 'medewerker',
      roltype: `${CATALOGI}/roltypen/zaakcoordinator`,
      roltoelichting: 'casusregisseur',
      betrokkeneIdentificatie: { inpBsn: '999993653' },
    });
    expect(wrong.status).toBe(400);
    // Ajv also reports the properties it could no longer account for once the subtype failed.
    expect(wrong.body.invalidParams).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'inpBsn' })]),
    );
    expect(zgw.violations).toHaveLength(1);
  });

  it('archive fields patched onto a zaak; rollen found by zaak and BSN', async () => {
    const created = await createZaak();
    const patched = await call('PATCH', String(created.url), {
      archiefnominatie: 'vernietigen',
      archiefactiedatum: '2041-12-04',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ archiefnominatie: 'vernietigen', url: created.url });
    const rol = {
      zaak: created.url,
      betrokkeneType: 'natuurlijk_persoon',
      roltype: `${CATALOGI}/roltypen/belanghebbende`,
      roltoelichting: 'gezinslid',
      betrokkeneIdentificatie: { inpBsn: '999993653' },
    };
    const made = await call('POST', `${zgw.zakenApiUrl}/rollen`, rol);
    const query = new URLSearchParams({
      zaak: String(created.url),
      betrokkeneIdentificatie__natuurlijkPersoon__inpBsn: '999993653',
    });
    const found = await call('GET', `${zgw.zakenApiUrl}/rollen?${query.toString()}`);
    expect(found.body).toMatchObject({ count: 1, results: [{ url: made.body.url }] });
    const other = await call(
      'GET',
      `${zgw.zakenApiUrl}/rollen?betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=111222333`,
    );
    expect(other.body).toMatchObject({ count: 0, results: [] });
    expect(zgw.violations).toEqual([]);
  });

  it('an operation the specification has but this server does not serve is recorded', async () => {
    const search = await call('POST', `${zgw.zakenApiUrl}/zaken/_zoek`, { identificatie: 'x' });
    expect(search.status).toBe(501);
    expect(zgw.violations).toEqual([expect.objectContaining({ kind: 'unsupported' })]);
  });

  it('refuses a second zaak with the same identificatie', async () => {
    const first = zaak();
    expect((await call('POST', `${zgw.zakenApiUrl}/zaken`, first)).status).toBe(201);
    const again = await call('POST', `${zgw.zakenApiUrl}/zaken`, first);
    expect(again.status).toBe(400);
    expect(again.body.invalidParams).toEqual([
      expect.objectContaining({ name: 'identificatie', code: 'identificatie-niet-uniek' }),
    ]);
  });
});

describe('faults a test switches on', () => {
  it('refuse answers 503 for the next N requests, then serves again', async () => {
    zgw.refuse(2);
    const url = `${zgw.zakenApiUrl}/zaken`;
    expect((await call('POST', url, zaak())).status).toBe(503);
    expect((await call('POST', url, zaak())).status).toBe(503);
    expect((await call('POST', url, zaak())).status).toBe(201);
    expect(zgw.requests.slice(-3).map((request) => request.outcome)).toEqual([503, 503, 201]);
  });

  it('down refuses connections and cuts open ones; up serves on the same URL', async () => {
    const before = zgw.zakenApiUrl;
    await zgw.down();
    await expect(call('POST', `${before}/zaken`, zaak())).rejects.toThrow();
    await zgw.up();
    expect(zgw.zakenApiUrl).toBe(before);
    expect((await call('POST', `${before}/zaken`, zaak())).status).toBe(201);
  });

  it('drop the answer after creating: the zaak exists, the client got no answer', async () => {
    zgw.dropAnswerAfterCreate(1);
    const lost = zaak();
    await expect(call('POST', `${zgw.zakenApiUrl}/zaken`, lost)).rejects.toThrow();
    expect(zgw.requests.at(-1)).toMatchObject({ operationId: 'zaak_create', outcome: 'dropped' });
    const query = new URLSearchParams({
      identificatie: String(lost.identificatie),
      bronorganisatie: RSIN,
    });
    const found = await call('GET', `${zgw.zakenApiUrl}/zaken?${query.toString()}`);
    expect(found.body).toMatchObject({ count: 1 });
    expect(zgw.violations).toEqual([]);
  });
});
