import type { ZgwConnection } from '../../config/app.config.js';
import type { RolKey, ZaakIdentificatie, ZgwCall } from './zgw-calls.js';

/** The URLs the zaaksysteem gave back for what the outbox created earlier. */
export interface ZgwUrls {
  zaak(identificatie: ZaakIdentificatie): string;
  rol(zaak: ZaakIdentificatie, rol: RolKey): string;
}

export interface ZgwRequest {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
  readonly url: string;
  /** Absent for a DELETE. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/**
 * The HTTP request of one call: its endpoint in the Zaken or Besluiten API and its body with the
 * URLs of what it refers to put in. Kept pure so that the bodies can be checked against the
 * specifications without a server.
 */
export function zgwRequest(call: ZgwCall, connection: ZgwConnection, urls: ZgwUrls): ZgwRequest {
  const zaken = (path: string) => `${connection.zakenApiUrl}${path}`;
  switch (call.kind) {
    case 'createZaak': {
      const vervolg = call.vervolgOp
        ? [{ url: urls.zaak(call.vervolgOp), aardRelatie: 'vervolg' }]
        : [];
      return {
        method: 'POST',
        url: zaken('/zaken'),
        body: { ...call.body, relevanteAndereZaken: vervolg },
      };
    }
    case 'createStatus':
      return {
        method: 'POST',
        url: zaken('/statussen'),
        body: { zaak: urls.zaak(call.zaak), ...call.body },
      };
    case 'createRol':
      return {
        method: 'POST',
        url: zaken('/rollen'),
        body: { zaak: urls.zaak(call.zaak), ...call.body },
      };
    case 'destroyRol':
      return { method: 'DELETE', url: urls.rol(call.zaak, call.rol) };
    case 'createResultaat':
      return {
        method: 'POST',
        url: zaken('/resultaten'),
        body: { zaak: urls.zaak(call.zaak), ...call.body },
      };
    case 'updateZaak':
      return { method: 'PATCH', url: urls.zaak(call.zaak), body: { ...call.body } };
    case 'createBesluit':
      return {
        method: 'POST',
        url: `${connection.besluitenApiUrl}/besluiten`,
        body: { ...call.body, zaak: urls.zaak(call.zaak) },
      };
  }
}
