import type { ZgwConnection } from '../../config/app.config.js';
import type { ZgwCall } from './zgw-calls.js';
import type { ZgwClient } from './zgw-client.js';
import type { ZgwRequest } from './zgw-request.js';

type Found = Record<string, unknown>;

/**
 * What an earlier attempt of this create may have made although its answer was lost: the URL
 * of the status, rol, resultaat or besluit that matches it, or null when there is none. Every
 * search is by the zaak and a type, or by our own identificatie; never by a BSN (a BSN is sent
 * only inside a belanghebbende rol, zgw.md), so a rol is matched among the zaak's own.
 */
export async function findCreated(
  client: ZgwClient,
  connection: ZgwConnection,
  call: ZgwCall,
  request: ZgwRequest,
): Promise<string | null> {
  const body = request.body as Found;
  const search = (base: string, collection: string, filters: Record<string, string>) =>
    client.list(`${base}/${collection}?${new URLSearchParams(filters)}`);
  const zaak = String(body.zaak);
  let candidates: Found[];
  switch (call.kind) {
    case 'createStatus': {
      const statussen = await search(connection.zakenApiUrl, 'statussen', {
        zaak,
        statustype: call.body.statustype,
      });
      const at = Date.parse(call.body.datumStatusGezet);
      candidates = statussen.filter((s) => Date.parse(String(s.datumStatusGezet)) === at);
      break;
    }
    case 'createRol': {
      const rollen = await search(connection.zakenApiUrl, 'rollen', {
        zaak,
        roltype: call.body.roltype,
      });
      candidates = rollen.filter(
        (r) =>
          r.betrokkeneType === call.body.betrokkeneType &&
          sameIdentificatie(r.betrokkeneIdentificatie, body.betrokkeneIdentificatie),
      );
      break;
    }
    case 'createResultaat':
      candidates = await search(connection.zakenApiUrl, 'resultaten', {
        zaak,
        resultaattype: call.body.resultaattype,
      });
      break;
    case 'createBesluit':
      candidates = await search(connection.besluitenApiUrl, 'besluiten', {
        identificatie: call.body.identificatie,
        verantwoordelijkeOrganisatie: call.body.verantwoordelijkeOrganisatie,
      });
      break;
    default:
      return null;
  }
  const url = candidates[0]?.url;
  return typeof url === 'string' ? url : null;
}

/** The fields we sent, compared with what the API keeps (which adds its own, empty, fields). */
function sameIdentificatie(kept: unknown, wanted: unknown): boolean {
  const sent = (wanted ?? {}) as Record<string, unknown>;
  const have = (kept ?? {}) as Record<string, unknown>;
  return Object.entries(sent).every(([key, value]) => have[key] === value);
}
