import type { DataSource } from 'typeorm';
import type { RolKey, ZaakIdentificatie, ZgwCall } from './zgw-calls.js';
import type { ZgwUrls } from './zgw-request.js';

/** What became of one call: sent, found (made by an earlier attempt), or skipped (nothing to do). */
export interface SentOutcome {
  readonly outcome: 'sent' | 'found' | 'skipped';
  /** The URL of what the call created, when it created something. */
  readonly url: string | null;
}

/**
 * The URLs the zaaksysteem gave back for one family's zaken and rollen, from zgw_sent. A rol key
 * can be created again after it was destroyed (a casusregisseur who returns): the latest create
 * counts, and a destroy forgets it.
 */
export class KnownUrls implements ZgwUrls {
  private readonly zaken = new Map<ZaakIdentificatie, string>();
  private readonly rollen = new Map<string, string | null>();

  static async of(dataSource: DataSource, familyId: string): Promise<KnownUrls> {
    const urls = new KnownUrls();
    const rows: Array<{
      kind: ZgwCall['kind'];
      zaak: string;
      rol: string | null;
      url: string | null;
    }> = await dataSource.query(
      'SELECT kind, zaak, rol, url FROM zgw_sent WHERE family_id = $1 ORDER BY n',
      [familyId],
    );
    for (const row of rows) urls.remember(row.kind, row.zaak, row.rol, row.url);
    return urls;
  }

  zaak(identificatie: ZaakIdentificatie): string {
    const url = this.zaken.get(identificatie);
    // The outbox sends a family's calls in order, so its zaak was created before: a bug if not.
    if (!url) throw new Error(`No URL known for zaak ${identificatie}`);
    return url;
  }

  rol(zaak: ZaakIdentificatie, rol: RolKey): string {
    const url = this.rolUrl(zaak, rol);
    if (!url) throw new Error(`No URL known for rol ${rol} of zaak ${zaak}`);
    return url;
  }

  /** The rol's URL, or null when it was never created (skipped) or destroyed since. */
  rolUrl(zaak: ZaakIdentificatie, rol: RolKey): string | null {
    return this.rollen.get(`${zaak} ${rol}`) ?? null;
  }

  /** Writes what became of the call to zgw_sent, and remembers its URL. */
  async record(
    dataSource: DataSource,
    familyId: string,
    callKey: string,
    call: ZgwCall,
    sent: SentOutcome,
  ): Promise<void> {
    const rol = 'rol' in call ? call.rol : null;
    await dataSource.query(
      `INSERT INTO zgw_sent (call_key, family_id, zaak, kind, rol, url, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (call_key) DO NOTHING`,
      [callKey, familyId, call.zaak, call.kind, rol, sent.url, sent.outcome],
    );
    this.remember(call.kind, call.zaak, rol, sent.url);
  }

  private remember(kind: ZgwCall['kind'], zaak: string, rol: string | null, url: string | null) {
    if (kind === 'createZaak' && url) this.zaken.set(zaak, url);
    if (kind === 'createRol' && rol) this.rollen.set(`${zaak} ${rol}`, url);
    if (kind === 'destroyRol' && rol) this.rollen.delete(`${zaak} ${rol}`);
  }
}
