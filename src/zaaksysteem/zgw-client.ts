import { SignJWT } from 'jose';
import type { ZgwConnection } from '../../config/app.config.js';
import type { ZgwRequest } from './zgw-request.js';

/** What the zaaksysteem answered, or that it could not be reached (`status` 0). */
export interface ZgwAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Who the zaaksysteem's audit trail names as acting: this system, never a person. */
const USER = { id: 'een-gezin-een-plan', representation: 'Eén gezin, één plan' } as const;
const TIMEOUT_MS = 10_000;
const MAX_PAGES = 20;

/**
 * One HTTP conversation with the municipality's Zaken and Besluiten APIs: the ZGW JWT (HS256
 * with the client's secret; iss and client_id, iat, user_id, user_representation), the CRS
 * headers the Zaken API requires, and a deadline on every request. A zaak is created at most
 * once: before a create it is looked up by its identificatie, so a create whose answer was lost
 * is found, not made again.
 */
export class ZgwClient {
  constructor(
    private readonly connection: ZgwConnection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(request: ZgwRequest): Promise<ZgwAnswer> {
    return this.exchange(request.method, request.url, request.body);
  }

  /** The URL of the zaak with this identificatie of our bronorganisatie, or null. */
  async findZaak(identificatie: string): Promise<string | null> {
    const query = new URLSearchParams({ identificatie, bronorganisatie: this.connection.rsin });
    const answer = await this.exchange('GET', `${this.connection.zakenApiUrl}/zaken?${query}`);
    if (answer.status !== 200) throw new ZgwUnavailable('GET /zaken', answer.status);
    const results = (answer.body as { results?: Array<{ url?: string }> }).results ?? [];
    return results[0]?.url ?? null;
  }

  /**
   * Every result of a list operation (its pages followed, a few at most for one zaak's
   * statussen or rollen). Used to find what a create whose answer was lost has made.
   */
  async list(url: string): Promise<Array<Record<string, unknown>>> {
    const results: Array<Record<string, unknown>> = [];
    for (let next: string | null = url, pages = 0; next && pages < MAX_PAGES; pages += 1) {
      const answer = await this.exchange('GET', next);
      if (answer.status !== 200) throw new ZgwUnavailable('GET list', answer.status, answer.body);
      const page = answer.body as {
        results?: Array<Record<string, unknown>>;
        next?: string | null;
      };
      results.push(...(page.results ?? []));
      next = page.next ?? null;
    }
    return results;
  }

  /** Creates the zaak unless it exists already (a retry after a lost answer); its URL. */
  async createZaakOnce(request: ZgwRequest & { body: { identificatie?: unknown } }) {
    const identificatie = String(request.body.identificatie);
    const existing = await this.findZaak(identificatie);
    if (existing) return existing;
    const answer = await this.send(request);
    if (answer.status !== 201) throw new ZgwUnavailable('POST /zaken', answer.status, answer.body);
    return (answer.body as { url: string }).url;
  }

  private async exchange(method: string, url: string, body?: unknown): Promise<ZgwAnswer> {
    const zaken = url.startsWith(this.connection.zakenApiUrl);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token()}`,
      Accept: 'application/json',
      // The Zaken API requires both CRS headers on every operation, a search included.
      ...(zaken ? { 'Accept-Crs': 'EPSG:4326', 'Content-Crs': 'EPSG:4326' } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    };
    try {
      const response = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
    } catch {
      // Refused, reset, timed out or cut off after sending: the worker retries with back-off.
      return { status: 0, body: null };
    }
  }

  private token(): Promise<string> {
    return new SignJWT({
      client_id: this.connection.clientId,
      user_id: USER.id,
      user_representation: USER.representation,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(this.connection.clientId)
      .setIssuedAt()
      .sign(new TextEncoder().encode(this.connection.secret));
  }
}

/** The zaaksysteem refused or could not be reached; worth another try later. */
export class ZgwUnavailable extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(`${operation}: ${status === 0 ? 'no answer' : `status ${status}`}`);
  }
}
