#!/usr/bin/env node
// Creates, in an Open Zaak, the Catalogi types a family case is registered with, authorises the
// product's API client for exactly what it needs, and writes the ZgwCatalogi JSON the live test
// tier reads (ZGW_TEST_CATALOGI, test/zaaksysteem.live.e2e-spec.ts; the shape of the `zgw` block
// in MUNICIPALITY_CONFIG, config/municipalities.ts). See docs/zgw.md "A live test against Open
// Zaak". Node 20.19+ only: fetch and node:crypto, no dependencies.
//
//   node scripts/open-zaak-catalogi.mjs [output.json]
//
// Environment (defaults fit docker-compose.yml's `zaaksysteem` profile and
// config/open-zaak/setup_configuration/data.yaml):
//   OPEN_ZAAK_URL              http://localhost:8001
//   OPEN_ZAAK_SETUP_CLIENT_ID  egep-setup     a client with all authorisations (heeftAlleAutorisaties)
//   OPEN_ZAAK_SETUP_SECRET     egep-setup-secret-local-only
//   ZGW_TEST_CLIENT_ID         egep-test      the client the product uses; gets an applicatie
//   ZGW_TEST_RSIN              002220647      catalogus RSIN (must match the product's ZGW_RSIN)
//   ZGW_TEST_CATALOGI          .data/zgw-test-catalogi.json (or the first argument)
//   RETENTION_YEARS            20             archiefactietermijn of the resultaattypen
//   SELECTIELIJST_API_URL      https://selectielijst.openzaak.nl/api/v1
//   SELECTIELIJST_JAAR         2020           must be among the allowed years in data.yaml
//   SELECTIELIJST_PROCESTYPE   1              the procestype's nummer (the archivist's choice;
//                                             for the test any procestype with a 'nihil' result)
//
// Run it again and it reuses what it made: a published zaaktype with the same identificatie is
// read back, not made twice; a concept one left by a failed run is deleted and made again.
//
// The request bodies follow the Catalogi API as Open Zaak implements it (its tests,
// src/openzaak/components/catalogi/tests/test_*.py): ZaakType needs identificatie, omschrijving,
// vertrouwelijkheidaanduiding, doel, aanleiding, indicatieInternOfExtern, handelingInitiator,
// onderwerp, handelingBehandelaar, doorlooptijd, opschortingEnAanhoudingMogelijk,
// verlengingMogelijk, publicatieIndicatie, productenOfDiensten, referentieproces, catalogus,
// besluittypen, gerelateerdeZaaktypen, beginGeldigheid, versiedatum, verantwoordelijke. Types
// are made while the zaaktype is a concept; a besluittype must still be a concept when a concept
// zaaktype names it, and published before the zaaktype is published.
import { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { URLSearchParams } from 'node:url';

const { fetch, AbortSignal } = globalThis; // Node's own, named for the linter

const env = process.env;
const BASE = (env.OPEN_ZAAK_URL ?? 'http://localhost:8001').replace(/\/$/, '');
const CATALOGI = `${BASE}/catalogi/api/v1`;
const AUTORISATIES = `${BASE}/autorisaties/api/v1`;
const SETUP_CLIENT_ID = env.OPEN_ZAAK_SETUP_CLIENT_ID ?? 'egep-setup';
const SETUP_SECRET = env.OPEN_ZAAK_SETUP_SECRET ?? 'egep-setup-secret-local-only';
const TEST_CLIENT_ID = env.ZGW_TEST_CLIENT_ID ?? 'egep-test';
const RSIN = env.ZGW_TEST_RSIN ?? '002220647';
const OUTPUT = process.argv[2] ?? env.ZGW_TEST_CATALOGI ?? '.data/zgw-test-catalogi.json';
const RETENTION_YEARS = Number(env.RETENTION_YEARS ?? 20);
const SELECTIELIJST = (
  env.SELECTIELIJST_API_URL ?? 'https://selectielijst.openzaak.nl/api/v1'
).replace(/\/$/, '');
const SELECTIELIJST_JAAR = Number(env.SELECTIELIJST_JAAR ?? 2020);
const PROCESTYPE_NUMMER = Number(env.SELECTIELIJST_PROCESTYPE ?? 1);

const DOMEIN = 'EGEP'; // Catalogus.domein: at most 5 characters
const ZAAKTYPE_IDENTIFICATIE = 'GEZINSPLAN';
const BESLUITTYPE_OMSCHRIJVING = 'Besluit brandpuntfunctionaris';
// Geldigheid of the types: from a fixed past date, so zaken dated now or earlier fall in it.
const GELDIG_VANAF = '2024-01-01';

/** Statustypen in order; the highest volgnummer is the end status, so `closed` comes last. */
const STATUSTYPEN = [
  ['opened', 'Gezinsplan geopend'],
  ['agreed', 'Gezinsplan vastgesteld'],
  ['escalated', 'Opgeschaald naar de brandpuntfunctionaris'],
  ['closed', 'Gezinsplan afgesloten'],
];
/** Roltypen; omschrijvingGeneriek is one of the Catalogi API's fixed values. */
const ROLTYPEN = [
  ['zaakcoordinator', 'Casusregisseur', 'zaakcoordinator'],
  ['behandelaar', 'Lid van het casusteam', 'behandelaar'],
  ['belanghebbende', 'Gezinslid', 'belanghebbende'],
  ['beslisser', 'Brandpuntfunctionaris', 'beslisser'],
];
/** Resultaattypen per closure reason, with the Selectielijst generic omschrijving to prefer. */
const RESULTAATTYPEN = [
  ['goals_achieved', 'Doelen bereikt', 'Afgehandeld'],
  ['family_moved', 'Gezin verhuisd', 'Beëindigd'],
  ['transferred', 'Overgedragen', 'Beëindigd'],
  ['family_declined_support', 'Gezin wilde geen ondersteuning meer', 'Ingetrokken'],
  ['other', 'Anders afgesloten', 'Beëindigd'],
];

/** What the product does in the zaaksysteem (docs/zgw.md), and reads back in the live tier. */
const ZAKEN_SCOPES = [
  'zaken.lezen',
  'zaken.aanmaken',
  // a status after the first (zaken.aanmaken covers only the first status of a zaak)
  'zaken.statussen.toevoegen',
  // rollen, resultaat, the archive fields (PATCH zaak)
  'zaken.bijwerken',
  // destroying a rol on a zaak that is already closed, after an erasure
  'zaken.geforceerd-bijwerken',
  'zaken.verwijderen',
];
const BESLUITEN_SCOPES = ['besluiten.lezen', 'besluiten.aanmaken'];

function base64url(value) {
  return Buffer.from(value).toString('base64url');
}

/** A ZGW JWT (HS256, claims iss/client_id, iat, user_id, user_representation). */
function token() {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iss: SETUP_CLIENT_ID,
      client_id: SETUP_CLIENT_ID,
      iat: Math.floor(Date.now() / 1000),
      user_id: 'open-zaak-catalogi-script',
      user_representation: 'scripts/open-zaak-catalogi.mjs',
    }),
  );
  const signature = createHmac('sha256', SETUP_SECRET)
    .update(`${header}.${payload}`)
    .digest('base64url');
  return `${header}.${payload}.${signature}`;
}

async function call(method, url, body, { auth = true, allow = [] } = {}) {
  const response = await fetch(url, {
    method,
    headers: {
      Accept: 'application/json',
      ...(auth ? { Authorization: `Bearer ${token()}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok && !allow.includes(response.status)) {
    throw new Error(`${method} ${url}: ${response.status}\n${JSON.stringify(json, null, 2)}`);
  }
  return { status: response.status, body: json };
}
const get = async (url, options) => (await call('GET', url, undefined, options)).body;
const post = async (url, body) => (await call('POST', url, body)).body;

/** Every item of a list operation, paginated ({ results, next }) or a plain array. */
async function all(url, options) {
  const items = [];
  for (let next = url; next;) {
    const page = await get(next, options);
    if (Array.isArray(page)) return page;
    items.push(...page.results);
    next = page.next;
  }
  return items;
}

const query = (path, params) => `${path}?${new URLSearchParams(params)}`;

/** The procestype, one of its results whose procestermijn is 'nihil', and the omschrijvingen. */
async function selectielijst() {
  const procestypen = await all(
    query(`${SELECTIELIJST}/procestypen`, { jaar: SELECTIELIJST_JAAR }),
    {
      auth: false,
    },
  );
  const procestype = procestypen.find(
    (p) =>
      p.nummer === PROCESTYPE_NUMMER && (p.jaar === undefined || p.jaar === SELECTIELIJST_JAAR),
  );
  if (!procestype) {
    throw new Error(
      `Selectielijst ${SELECTIELIJST_JAAR}: no procestype nummer ${PROCESTYPE_NUMMER}`,
    );
  }
  const resultaten = await all(
    query(`${SELECTIELIJST}/resultaten`, { procesType: procestype.url }),
    {
      auth: false,
    },
  );
  // Open Zaak: procestermijn 'nihil' requires afleidingswijze 'afgehandeld' (brondatum = the
  // zaak's einddatum), the afleidingswijze that fits a plan's closure.
  const nihil = resultaten.filter((r) => r.procestermijn === 'nihil');
  const resultaat = nihil.find((r) => r.waardering === 'vernietigen') ?? nihil[0];
  if (!resultaat) {
    throw new Error(
      `Selectielijst procestype ${PROCESTYPE_NUMMER} has no result with procestermijn 'nihil': ` +
        'choose another with SELECTIELIJST_PROCESTYPE',
    );
  }
  const omschrijvingen = await all(`${SELECTIELIJST}/resultaattypeomschrijvingen`, { auth: false });
  if (omschrijvingen.length === 0) throw new Error('Selectielijst: no resultaattypeomschrijvingen');
  const omschrijving = (name) =>
    (omschrijvingen.find((o) => o.omschrijving === name) ?? omschrijvingen[0]).url;
  console.log(`Selectielijst: procestype ${procestype.nummer} "${procestype.naam}"`);
  console.log(`Selectielijst: selectielijstklasse ${resultaat.volledigNummer ?? resultaat.nummer}`);
  return { procestype: procestype.url, selectielijstklasse: resultaat.url, omschrijving };
}

async function catalogus() {
  const [found] = await all(query(`${CATALOGI}/catalogussen`, { domein: DOMEIN, rsin: RSIN }));
  if (found) return found.url;
  const created = await post(`${CATALOGI}/catalogussen`, {
    domein: DOMEIN,
    rsin: RSIN,
    contactpersoonBeheerNaam: 'Functioneel beheer sociaal domein',
    naam: 'Eén gezin, één plan (test)',
  });
  console.log(`catalogus ${created.url}`);
  return created.url;
}

/** The types of a published zaaktype, read back by their omschrijving. */
async function readBack(zaaktype) {
  const byOmschrijving = async (urls, list) => {
    const items = await Promise.all(urls.map((url) => get(url)));
    return Object.fromEntries(
      list.map(([key, omschrijving]) => {
        const item = items.find((i) => i.omschrijving === omschrijving);
        if (!item) throw new Error(`zaaktype ${zaaktype.url} has no type "${omschrijving}"`);
        return [key, item.url];
      }),
    );
  };
  const [besluittype] = zaaktype.besluittypen;
  if (!besluittype) throw new Error(`zaaktype ${zaaktype.url} has no besluittype`);
  return {
    zaaktype: zaaktype.url,
    statustypen: await byOmschrijving(zaaktype.statustypen, STATUSTYPEN),
    roltypen: await byOmschrijving(zaaktype.roltypen, ROLTYPEN),
    resultaattypen: await byOmschrijving(zaaktype.resultaattypen, RESULTAATTYPEN),
    besluittype,
  };
}

async function create(catalogusUrl) {
  const sl = await selectielijst();
  // The Besluiten API accepts a besluit only if its besluittype is one of the zaak's
  // zaaktype.besluittypen.
  const besluittype = await post(`${CATALOGI}/besluittypen`, {
    catalogus: catalogusUrl,
    zaaktypen: [],
    omschrijving: BESLUITTYPE_OMSCHRIJVING,
    omschrijvingGeneriek: '',
    besluitcategorie: '',
    reactietermijn: 'P42D',
    publicatieIndicatie: false,
    publicatietekst: '',
    publicatietermijn: null,
    toelichting: 'Besluit van de brandpuntfunctionaris na opschaling van een gezinsplan.',
    informatieobjecttypen: [],
    beginGeldigheid: GELDIG_VANAF,
  });
  const zaaktype = await post(`${CATALOGI}/zaaktypen`, {
    identificatie: ZAAKTYPE_IDENTIFICATIE,
    omschrijving: 'Gezinsplan: integrale ondersteuning van een gezin',
    vertrouwelijkheidaanduiding: 'vertrouwelijk',
    doel: 'Eén plan met één casusregisseur voor een gezin met ondersteuning uit meer domeinen.',
    aanleiding: 'Een gezin met vragen op meer levensgebieden.',
    indicatieInternOfExtern: 'extern',
    handelingInitiator: 'aanmelden',
    onderwerp: 'Gezinsplan',
    handelingBehandelaar: 'regisseren',
    doorlooptijd: 'P1Y',
    opschortingEnAanhoudingMogelijk: false,
    verlengingMogelijk: false,
    publicatieIndicatie: false,
    verantwoordingsrelatie: [],
    // Required and not fetched by Open Zaak; a municipality names its own product here.
    productenOfDiensten: ['https://example.com/producten/gezinsplan'],
    selectielijstProcestype: sl.procestype,
    referentieproces: { naam: 'Gezinsplan', link: '' },
    verantwoordelijke: 'Casusregie sociaal domein',
    catalogus: catalogusUrl,
    besluittypen: [besluittype.url],
    gerelateerdeZaaktypen: [],
    beginGeldigheid: GELDIG_VANAF,
    versiedatum: GELDIG_VANAF,
  });
  console.log(`zaaktype ${zaaktype.url} (concept)`);

  const statustypen = {};
  for (const [index, [key, omschrijving]] of STATUSTYPEN.entries()) {
    const created = await post(`${CATALOGI}/statustypen`, {
      zaaktype: zaaktype.url,
      omschrijving,
      volgnummer: index + 1,
      statustekst: '',
      informeren: false,
    });
    statustypen[key] = created.url;
  }
  const roltypen = {};
  for (const [key, omschrijving, omschrijvingGeneriek] of ROLTYPEN) {
    const created = await post(`${CATALOGI}/roltypen`, {
      zaaktype: zaaktype.url,
      omschrijving,
      omschrijvingGeneriek,
    });
    roltypen[key] = created.url;
  }
  const resultaattypen = {};
  for (const [key, omschrijving, generiek] of RESULTAATTYPEN) {
    const created = await post(`${CATALOGI}/resultaattypen`, {
      zaaktype: zaaktype.url,
      omschrijving,
      resultaattypeomschrijving: sl.omschrijving(generiek),
      selectielijstklasse: sl.selectielijstklasse,
      toelichting: '',
      // As the product sends it at closure: archiefactiedatum = closure + RETENTION_YEARS.
      archiefnominatie: 'vernietigen',
      archiefactietermijn: `P${RETENTION_YEARS}Y`,
      brondatumArchiefprocedure: {
        afleidingswijze: 'afgehandeld',
        datumkenmerk: '',
        einddatumBekend: false,
        objecttype: '',
        registratie: '',
        procestermijn: null,
      },
    });
    resultaattypen[key] = created.url;
  }

  // Publish: the besluittype first (a zaaktype naming a concept besluittype is not published).
  await post(`${besluittype.url}/publish`);
  await post(`${zaaktype.url}/publish`);
  console.log('besluittype and zaaktype published');
  return {
    zaaktype: zaaktype.url,
    statustypen,
    roltypen,
    resultaattypen,
    besluittype: besluittype.url,
  };
}

async function types(catalogusUrl) {
  const found = await all(
    query(`${CATALOGI}/zaaktypen`, {
      catalogus: catalogusUrl,
      identificatie: ZAAKTYPE_IDENTIFICATIE,
      status: 'alles',
    }),
  );
  const published = found.find((z) => !z.concept);
  if (published) {
    console.log(`zaaktype ${published.url} exists and is published: reading it back`);
    return readBack(published);
  }
  // A failed earlier run: its concepts go, then everything is made again.
  for (const concept of found) {
    await call('DELETE', concept.url);
    console.log(`deleted concept zaaktype ${concept.url}`);
  }
  const besluittypen = await all(
    query(`${CATALOGI}/besluittypen`, { catalogus: catalogusUrl, status: 'concept' }),
  );
  for (const concept of besluittypen.filter((b) => b.omschrijving === BESLUITTYPE_OMSCHRIJVING)) {
    await call('DELETE', concept.url);
    console.log(`deleted concept besluittype ${concept.url}`);
  }
  return create(catalogusUrl);
}

/**
 * The product's applicatie in Open Zaak's Autorisaties API: the Zaken API scopes for its zaaktype
 * (the zaken are `vertrouwelijk`) and the Besluiten API scopes for its besluittype. Replaced when
 * it exists, so the scopes are always exactly these.
 */
async function authorise(catalogi) {
  const applicatie = {
    clientIds: [TEST_CLIENT_ID],
    label: 'Eén gezin, één plan (live test)',
    heeftAlleAutorisaties: false,
    autorisaties: [
      {
        component: 'zrc',
        scopes: ZAKEN_SCOPES,
        zaaktype: catalogi.zaaktype,
        maxVertrouwelijkheidaanduiding: 'vertrouwelijk',
      },
      { component: 'brc', scopes: BESLUITEN_SCOPES, besluittype: catalogi.besluittype },
    ],
  };
  const existing = await call(
    'GET',
    query(`${AUTORISATIES}/applicaties/consumer`, { clientId: TEST_CLIENT_ID }),
    undefined,
    { allow: [404] },
  );
  if (existing.status === 200) {
    await call('PUT', existing.body.url, applicatie);
    console.log(`applicatie ${existing.body.url} for ${TEST_CLIENT_ID} updated`);
  } else {
    const created = await post(`${AUTORISATIES}/applicaties`, applicatie);
    console.log(`applicatie ${created.url} for ${TEST_CLIENT_ID} created`);
  }
}

const catalogi = await types(await catalogus());
await authorise(catalogi);
mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(OUTPUT, `${JSON.stringify(catalogi, null, 2)}\n`);
console.log(`wrote ${OUTPUT}: export ZGW_TEST_CATALOGI=${OUTPUT}`);
