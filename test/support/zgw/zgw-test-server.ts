import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { ZgwSpecValidator, type InvalidParam, type Operation } from './zgw-spec-validator.js';

/**
 * A zaaksysteem for tests: the Zaken API (zaken, statussen, rollen, resultaten) and the Besluiten
 * API (besluiten) over real HTTP, at Open Zaak's base paths. Every request is checked against the
 * official specification (zgw-spec-validator.ts) and the ZGW JWT; what is wrong is answered 400
 * (401/403 for the token) in the specification's error shape and recorded in `violations`, which
 * a test asserts is empty. What is valid is kept in memory and answered as the specification
 * says, and the answer itself is checked against the specification too (a mismatch is the test
 * server's own bug, recorded as a violation of kind 'answer'). A test can make it refuse (503),
 * go down (connections refused) or lose the answer of a create it has carried out.
 */

export interface ZgwTestServerOptions {
  /** The HS256 secret the client signs its JWT with. */
  readonly secret: string;
  /** The client_id the token must carry. */
  readonly clientId: string;
}

export interface ZgwRequest {
  readonly method: string;
  /** Path and query, e.g. `/zaken/api/v1/zaken?identificatie=GZP-1`. */
  readonly url: string;
  operationId: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  /** The status answered, or what happened instead. */
  outcome: number | 'dropped';
  /** The body answered (or, for a dropped answer, the one that was not sent). */
  answer?: unknown;
}

export interface ZgwViolation {
  readonly kind: 'request' | 'token' | 'answer' | 'unsupported';
  readonly method: string;
  readonly url: string;
  readonly problems: readonly InvalidParam[];
}

type Resource = Record<string, unknown>;

interface Api {
  readonly base: string;
  readonly validator: ZgwSpecValidator;
  /** Sent back on every answer where the API has geometry (the Zaken API). */
  readonly crs: boolean;
  readonly version: string;
}

/** What each supported operation does, and to which collection. */
const OPERATIONS: Record<string, { action: Action; collection: string }> = {
  zaak_create: { action: 'create', collection: 'zaken' },
  zaak_list: { action: 'list', collection: 'zaken' },
  zaak_retrieve: { action: 'read', collection: 'zaken' },
  zaak_partial_update: { action: 'patch', collection: 'zaken' },
  status_create: { action: 'create', collection: 'statussen' },
  status_list: { action: 'list', collection: 'statussen' },
  status_retrieve: { action: 'read', collection: 'statussen' },
  rol_create: { action: 'create', collection: 'rollen' },
  rol_list: { action: 'list', collection: 'rollen' },
  rol_retrieve: { action: 'read', collection: 'rollen' },
  rol_destroy: { action: 'delete', collection: 'rollen' },
  resultaat_create: { action: 'create', collection: 'resultaten' },
  resultaat_list: { action: 'list', collection: 'resultaten' },
  resultaat_retrieve: { action: 'read', collection: 'resultaten' },
  besluit_create: { action: 'create', collection: 'besluiten' },
  besluit_list: { action: 'list', collection: 'besluiten' },
  besluit_retrieve: { action: 'read', collection: 'besluiten' },
};
type Action = 'create' | 'list' | 'read' | 'patch' | 'delete';
const PAGE_SIZE = 100;
/** Query parameters every list takes that are not a field filter. */
const NOT_FILTERS = ['page'];

export class ZgwTestServer {
  /** Every request received, in order, whatever became of it. */
  readonly requests: ZgwRequest[] = [];
  readonly violations: ZgwViolation[] = [];
  /** Kept resources per collection, by url, in creation order. */
  readonly store = new Map<string, Map<string, Resource>>();

  private server: Server | undefined;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly apis: Api[];
  private refusing = 0;
  private dropping = 0;
  private sequence = 0;

  private constructor(
    private readonly options: ZgwTestServerOptions,
    zaken: ZgwSpecValidator,
    besluiten: ZgwSpecValidator,
  ) {
    this.apis = [
      { base: '/zaken/api/v1', validator: zaken, crs: true, version: '1.5.1' },
      { base: '/besluiten/api/v1', validator: besluiten, crs: false, version: '1.0.2' },
    ];
  }

  static async start(options: ZgwTestServerOptions): Promise<ZgwTestServer> {
    const [zaken, besluiten] = await Promise.all([
      ZgwSpecValidator.load('zaken-api.openapi.yaml'),
      ZgwSpecValidator.load('besluiten-api.openapi.yaml'),
    ]);
    const server = new ZgwTestServer(options, zaken, besluiten);
    await server.up();
    return server;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** What ZGW_ZAKEN_API_URL is set to. */
  get zakenApiUrl(): string {
    return `${this.origin}/zaken/api/v1`;
  }
  /** What ZGW_BESLUITEN_API_URL is set to. */
  get besluitenApiUrl(): string {
    return `${this.origin}/besluiten/api/v1`;
  }

  /** The kept resources of a collection (zaken, statussen, rollen, resultaten, besluiten). */
  all(collection: string): Resource[] {
    return [...(this.store.get(collection)?.values() ?? [])];
  }

  /** Forgets everything kept, received and recorded, and switches the faults off. */
  reset(): void {
    this.requests.length = 0;
    this.violations.length = 0;
    this.store.clear();
    this.refusing = 0;
    this.dropping = 0;
  }

  /** Answer the next `count` requests 503, as an overloaded or restarting zaaksysteem does. */
  refuse(count: number): void {
    this.refusing = count;
  }

  /** Carry out the next `count` valid creates, then close the connection without an answer. */
  dropAnswerAfterCreate(count: number): void {
    this.dropping = count;
  }

  /** Stop listening and cut open connections: the client sees refused or reset connections. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listen again, on the same port once it has had one, so configured URLs stay right. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => {
      // A bug of the test server itself fails the test that looks at violations, not the process.
      this.handle(request, response).catch((error: Error) => {
        const problem = { name: 'server', code: 'error', reason: error.message };
        this.violations.push({
          kind: 'answer',
          method: request.method ?? '',
          url: request.url ?? '',
          problems: [problem],
        });
        if (!response.headersSent) send(response, 500, fout(500, 'error', error.message), {});
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    await this.down();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const text = await readBody(request);
    const entry: ZgwRequest = {
      method: request.method ?? 'GET',
      url: url.pathname + url.search,
      operationId: undefined,
      headers: { ...request.headers },
      body: parse(text),
      outcome: 0,
    };
    this.requests.push(entry);
    const api = this.apis.find((candidate) => url.pathname.startsWith(`${candidate.base}/`));
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      entry.outcome = status;
      entry.answer = body;
      send(response, status, body, { ...headers, 'API-version': api?.version ?? '' });
    };

    const operation = api?.validator.find(entry.method, url.pathname.slice(api.base.length));
    if (!api || typeof operation !== 'object') {
      const reason = typeof operation === 'string' ? operation : `no API at ${url.pathname}`;
      this.violate('request', entry, [{ name: 'path', code: 'not_found', reason }]);
      return answer(404, fout(404, 'not_found', reason));
    }
    entry.operationId = operation.operationId;

    const problems =
      text !== '' && entry.body === undefined
        ? [{ name: 'body', code: 'parse_error', reason: 'the body is not JSON' }]
        : api.validator.check(operation, url.searchParams, request.headers, entry.body);
    if (problems.length > 0) this.violate('request', entry, problems);

    // Authenticated before validated, as the APIs do: a bad token is a 401/403 whatever the body.
    const token = api.validator.secured(operation)
      ? await this.verify(request.headers.authorization)
      : undefined;
    if (token) {
      const problem = { name: 'Authorization', code: token.code, reason: token.reason };
      this.violate('token', entry, [problem]);
    }
    if (this.refusing > 0) {
      this.refusing--;
      return answer(503, fout(503, 'unavailable', 'refused by the test'));
    }
    if (token) return answer(token.status, fout(token.status, token.code, token.reason));
    if (problems.length > 0) return answer(400, validatieFout(problems));

    const supported = OPERATIONS[operation.operationId];
    if (!supported) {
      const reason = `${operation.operationId} is valid but this test server does not serve it`;
      this.violate('unsupported', entry, [{ name: 'path', code: 'unsupported', reason }]);
      return answer(501, fout(501, 'unsupported', reason));
    }

    const result = this.act(
      api,
      operation,
      supported.action,
      supported.collection,
      entry.body,
      url,
    );
    if ('invalid' in result) {
      this.violate(result.kind ?? 'request', entry, result.invalid);
      if (result.kind === 'unsupported') {
        return answer(501, fout(501, 'unsupported', result.invalid[0].reason));
      }
      return answer(400, validatieFout(result.invalid));
    }
    const mismatch =
      result.status === 204 ? [] : api.validator.checkAnswer(operation, result.status, result.body);
    if (mismatch.length > 0) this.violate('answer', entry, mismatch);

    if (supported.action === 'create' && this.dropping > 0) {
      this.dropping--;
      entry.outcome = 'dropped';
      entry.answer = result.body;
      request.socket.destroy();
      return;
    }
    const headers: Record<string, string> = api.crs ? { 'Content-Crs': 'EPSG:4326' } : {};
    if (result.status === 201) headers.Location = String((result.body as Resource).url);
    answer(result.status, result.body, headers);
  }

  /** Carries out a valid request on the in-memory store, with the checks the API itself makes. */
  private act(
    api: Api,
    operation: Operation,
    action: Action,
    collection: string,
    body: unknown,
    url: URL,
  ): { status: number; body?: unknown } | { invalid: InvalidParam[]; kind?: ZgwViolation['kind'] } {
    const kept = this.store.get(collection) ?? new Map<string, Resource>();
    this.store.set(collection, kept);
    const self = (uuid: string) => `${this.origin}${api.base}/${collection}/${uuid}`;
    const found = operation.pathParams.uuid ? kept.get(self(operation.pathParams.uuid)) : undefined;
    if ((action === 'read' || action === 'patch' || action === 'delete') && !found) {
      return { status: 404, body: fout(404, 'not_found', 'Niet gevonden.') };
    }
    switch (action) {
      case 'create': {
        const input = body as Resource;
        const invalid = this.references(collection, input);
        if (invalid.length > 0) return { invalid };
        const uuid = randomUUID();
        const resource = this.complete(collection, { ...input }, self(uuid), uuid);
        kept.set(String(resource.url), resource);
        this.link(collection, resource);
        return { status: 201, body: resource };
      }
      case 'list': {
        const filters = [...url.searchParams].filter(([name]) => !NOT_FILTERS.includes(name));
        const all = [...kept.values()];
        const unsupported = filters.filter(([name]) => !filterable(collection, name));
        if (unsupported.length > 0) {
          const names = unsupported.map(([name]) => name).join(', ');
          const reason = 'a valid filter this test server does not serve';
          return { invalid: [{ name: names, code: 'unsupported', reason }], kind: 'unsupported' };
        }
        const matching = all.filter((item) =>
          filters.every(([name, value]) => field(item, name) === value),
        );
        const page = Number(url.searchParams.get('page') ?? '1');
        const pageUrl = (n: number) => {
          const next = new URL(url.pathname + url.search, this.origin);
          next.searchParams.set('page', String(n));
          return next.toString();
        };
        const results = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        return {
          status: 200,
          body: {
            count: matching.length,
            next: page * PAGE_SIZE < matching.length ? pageUrl(page + 1) : null,
            previous: page > 1 ? pageUrl(page - 1) : null,
            results,
          },
        };
      }
      case 'read':
        return { status: 200, body: found };
      case 'patch': {
        Object.assign(found!, body as Resource);
        return { status: 200, body: found };
      }
      case 'delete': {
        kept.delete(String(found!.url));
        const zaak = this.zaak(found!.zaak);
        if (zaak) zaak.rollen = (zaak.rollen as string[]).filter((item) => item !== found!.url);
        return { status: 204 };
      }
    }
  }

  /**
   * The API's own checks beyond the schema that matter to a client: the zaak a sub-resource
   * names must exist, and a zaak's identificatie is unique per bronorganisatie (so a create sent
   * twice, after a lost answer, is refused as Open Zaak refuses it).
   */
  private references(collection: string, input: Resource): InvalidParam[] {
    if (collection === 'zaken') {
      const taken = this.all('zaken').some(
        (zaak) =>
          input.identificatie !== undefined &&
          zaak.identificatie === input.identificatie &&
          zaak.bronorganisatie === input.bronorganisatie,
      );
      return taken
        ? [{ name: 'identificatie', code: 'identificatie-niet-uniek', reason: 'al in gebruik' }]
        : [];
    }
    if (input.zaak !== undefined && input.zaak !== null && !this.zaak(input.zaak)) {
      return [{ name: 'zaak', code: 'does_not_exist', reason: `no zaak ${String(input.zaak)}` }];
    }
    return [];
  }

  private zaak(url: unknown): Resource | undefined {
    return this.store.get('zaken')?.get(String(url));
  }

  /** The fields the API derives itself (all readOnly in the specification). */
  private complete(collection: string, input: Resource, url: string, uuid: string): Resource {
    const now = new Date().toISOString();
    switch (collection) {
      case 'zaken':
        return {
          url,
          uuid,
          ...input,
          identificatie: input.identificatie ?? `ZAAK-${++this.sequence}`,
          registratiedatum: input.registratiedatum ?? now.slice(0, 10),
          einddatum: null,
          betalingsindicatieWeergave: '',
          deelzaken: [],
          eigenschappen: [],
          rollen: [],
          status: null,
          zaakinformatieobjecten: [],
          zaakobjecten: [],
          resultaat: null,
        };
      case 'statussen':
        return {
          url,
          uuid,
          ...input,
          indicatieLaatstGezetteStatus: true,
          zaakinformatieobjecten: [],
        };
      case 'rollen':
        // Derived from the roltype in the Catalogi API, which the test server does not have.
        return {
          url,
          uuid,
          ...input,
          omschrijving: '',
          omschrijvingGeneriek: '',
          registratiedatum: now,
          statussen: [],
        };
      case 'besluiten':
        return {
          url,
          ...input,
          identificatie: input.identificatie ?? `BESLUIT-${++this.sequence}`,
        };
      default:
        return { url, uuid, ...input };
    }
  }

  /** Keeps a zaak's readOnly references to its statussen, rollen and resultaat up to date. */
  private link(collection: string, resource: Resource): void {
    const zaak = this.zaak(resource.zaak);
    if (!zaak) return;
    if (collection === 'statussen') {
      for (const status of this.all('statussen')) {
        if (status.zaak === resource.zaak && status !== resource)
          status.indicatieLaatstGezetteStatus = false;
      }
      zaak.status = resource.url;
    } else if (collection === 'rollen') {
      zaak.rollen = [...(zaak.rollen as string[]), resource.url];
    } else if (collection === 'resultaten') {
      zaak.resultaat = resource.url;
    }
  }

  /**
   * The ZGW authorisation: an HS256 JWT signed with the client's secret carrying iss, client_id,
   * iat, user_id and user_representation (zgw.md). Undefined when it is right.
   */
  private async verify(
    header: string | undefined,
  ): Promise<{ status: number; code: string; reason: string } | undefined> {
    if (!header?.startsWith('Bearer ')) {
      return { status: 401, code: 'not_authenticated', reason: 'no Bearer token' };
    }
    const token = header.slice('Bearer '.length);
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(this.options.secret), {
        algorithms: ['HS256'],
      });
      const absent = ['iss', 'client_id', 'user_id', 'user_representation'].filter(
        (claim) => typeof payload[claim] !== 'string',
      );
      if (typeof payload.iat !== 'number') absent.push('iat');
      if (absent.length > 0) {
        return {
          status: 403,
          code: 'permission_denied',
          reason: `claims missing: ${absent.join()}`,
        };
      }
      if (payload.client_id !== this.options.clientId) {
        return { status: 403, code: 'permission_denied', reason: 'unknown client_id' };
      }
      return undefined;
    } catch (error) {
      return { status: 401, code: 'not_authenticated', reason: (error as Error).message };
    }
  }

  private violate(kind: ZgwViolation['kind'], entry: ZgwRequest, problems: InvalidParam[]): void {
    this.violations.push({ kind, method: entry.method, url: entry.url, problems });
  }
}

/** The list filters served: a top-level field, or a rol's betrokkeneIdentificatie by type. */
const FILTERS: Record<string, string[]> = {
  zaken: ['identificatie', 'bronorganisatie', 'zaaktype'],
  statussen: ['zaak', 'statustype'],
  rollen: ['zaak', 'betrokkeneType', 'roltype', 'betrokkene'],
  resultaten: ['zaak', 'resultaattype'],
  besluiten: ['identificatie', 'verantwoordelijkeOrganisatie', 'besluittype', 'zaak'],
};
const BY_IDENTIFICATIE = /^betrokkeneIdentificatie__(\w+)__(\w+)$/;

function filterable(collection: string, name: string): boolean {
  return (
    (FILTERS[collection] ?? []).includes(name) ||
    (collection === 'rollen' && BY_IDENTIFICATIE.test(name))
  );
}

/**
 * A field's value as a filter compares it. `betrokkeneIdentificatie__natuurlijkPersoon__inpBsn`
 * names the inpBsn of a rol whose betrokkeneType is natuurlijk_persoon.
 */
function field(item: Resource, name: string): string | undefined {
  const nested = BY_IDENTIFICATIE.exec(name);
  if (!nested)
    return item[name] === undefined || item[name] === null ? undefined : String(item[name]);
  const [, type, key] = nested;
  const snake = type.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const identificatie = item.betrokkeneIdentificatie as Resource | undefined;
  if (item.betrokkeneType !== snake || identificatie?.[key] === undefined) return undefined;
  return String(identificatie[key]);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const problem = status >= 400;
  response.writeHead(status, {
    ...headers,
    ...(body === undefined
      ? {}
      : { 'Content-Type': problem ? 'application/problem+json' : 'application/json' }),
  });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

/** The specifications' `Fout`. */
function fout(status: number, code: string, detail: string): Resource {
  return { type: '', code, title: detail, status, detail, instance: `urn:uuid:${randomUUID()}` };
}

/** The specifications' `ValidatieFout`: a 400 naming every invalid field. */
function validatieFout(invalidParams: readonly InvalidParam[]): Resource {
  return {
    ...fout(400, 'invalid', 'Invalid input.'),
    title: 'Invalid input.',
    invalidParams,
  };
}
