import type { DataSource } from 'typeorm';
import type { ZgwConnection } from '../../config/app.config.js';
import { retryDelayMs } from '#libs/database/database-unavailable.js';
import { isErased, type PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { ZgwCall } from './zgw-calls.js';
import { ZgwUnavailable, type ZgwClient } from './zgw-client.js';
import { findCreated } from './zgw-find-created.js';
import { pendingAfter, watermark } from './zgw-outbox.status.js';
import { zgwRequest } from './zgw-request.js';
import { KnownUrls, type SentOutcome } from './zgw-known-urls.js';

export interface ZgwWorkerOptions {
  /** How often the outbox is looked at when there is nothing to send. */
  readonly pollMs: number;
  /** The first back-off after a failure; it doubles per failure up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly logger?: {
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

interface PendingCall {
  readonly call_key: string;
  readonly call: ZgwCall;
  readonly sealed_personal: string | null;
}

/** Families with something to send, per round: each is one family's queue, sent in order. */
const FAMILIES_PER_ROUND = 20;
/** Calls per family per round: a long history is sent in several rounds, other families between. */
const CALLS_PER_FAMILY = 200;

/**
 * Sends the outbox (zgw-outbox.projection.ts) to the municipality's zaaksysteem. Each family's
 * calls go in order, one family at a time per instance (a Postgres advisory lock, so several
 * server instances never send the same family's calls side by side). What was sent is recorded
 * with the URL it got back in zgw_sent, which no rebuild empties; a failed call stops its
 * family's queue until its back-off has passed, and nothing after it is sent before it.
 *
 * Nothing is sent twice: before each call its key is written to zgw_delivery.attempting. When a
 * call is tried again with that mark still set, its earlier attempt may have been carried out
 * with the answer lost (or the process died before recording it), so what it would create is
 * looked for first (a zaak by identificatie, a besluit by identificatie, a status, rol or
 * resultaat among the zaak's own), and found rather than made again.
 */
export class ZgwOutboxWorker {
  private abort?: AbortController;
  private loop?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: ZgwClient,
    private readonly vault: PersonalDataVault,
    private readonly connection: ZgwConnection,
    private readonly options: ZgwWorkerOptions,
  ) {}

  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = this.run(abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** Sends what is due now, family by family; how many calls were carried out. */
  async deliverDue(): Promise<number> {
    const due: Array<{ family_id: string }> = await this.dataSource.query(
      `SELECT o.family_id FROM zgw_outbox o
         LEFT JOIN zgw_delivery d ON d.family_id = o.family_id
        WHERE ${pendingAfter(2)}
          AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now())
        GROUP BY o.family_id ORDER BY min(o.recorded_at), o.family_id LIMIT $1`,
      [FAMILIES_PER_ROUND, await watermark(this.dataSource)],
    );
    let sent = 0;
    for (const { family_id } of due) sent += await this.deliverFamily(family_id);
    await this.raiseWatermark();
    return sent;
  }

  /**
   * Moves the watermark up to the oldest call still to send (or past the newest, when none is):
   * each look then reads only the calls since then. The outbox gets its rows in the global
   * order of their events, one projection batch at a time, so no row can appear behind it.
   */
  private async raiseWatermark(): Promise<void> {
    const from = await watermark(this.dataSource);
    // Only ever up: another instance may have raised it meanwhile.
    await this.dataSource.query(
      `UPDATE zgw_watermark SET event_commit = greatest(event_commit, coalesce(
         (SELECT min(o.event_commit) FROM zgw_outbox o WHERE ${pendingAfter(1)}),
         (SELECT max(o.event_commit) + 1 FROM zgw_outbox o WHERE o.event_commit >= $1),
         $1))`,
      [from],
    );
  }

  private async run(signal: AbortSignal): Promise<void> {
    let databaseDown = false;
    while (!signal.aborted) {
      let sent = 0;
      try {
        sent = await this.deliverDue();
        databaseDown = false;
      } catch (error) {
        // The database, not the zaaksysteem: one warning per outage, then quiet retries.
        if (!databaseDown) {
          this.options.logger?.warn(
            { reason: (error as Error).message },
            'zaaksysteem outbox waiting for the database',
          );
        }
        databaseDown = true;
      }
      if (sent === 0) await pause(this.options.pollMs, signal);
    }
  }

  private async deliverFamily(familyId: string): Promise<number> {
    const lock = `zgw:${familyId}`;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [lock],
      )) as Array<{ locked: boolean }>;
      if (!locked) return 0;
      try {
        return await this.sendInOrder(familyId);
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lock]);
      }
    } finally {
      await runner.release();
    }
  }

  private async sendInOrder(familyId: string): Promise<number> {
    const pending: PendingCall[] = await this.dataSource.query(
      `SELECT o.call_key, o.call, o.sealed_personal FROM zgw_outbox o
        WHERE o.family_id = $1
          AND NOT EXISTS (SELECT 1 FROM zgw_sent s WHERE s.call_key = o.call_key)
        ORDER BY o.seq LIMIT $2`,
      [familyId, CALLS_PER_FAMILY],
    );
    const urls = await KnownUrls.of(this.dataSource, familyId);
    const [delivery] = (await this.dataSource.query(
      'SELECT attempting, failures FROM zgw_delivery WHERE family_id = $1',
      [familyId],
    )) as Array<{ attempting: string | null; failures: number }>;
    let sent = 0;
    for (const entry of pending) {
      const uncertain = delivery?.attempting === entry.call_key;
      try {
        if (!uncertain) await this.markAttempting(familyId, entry.call_key);
        const outcome = await this.deliver(entry, urls, uncertain);
        await urls.record(this.dataSource, familyId, entry.call_key, entry.call, outcome);
        sent += 1;
      } catch (error) {
        // Progress this round starts the back-off afresh.
        const failures = sent > 0 ? 1 : (delivery?.failures ?? 0) + 1;
        await this.failed(familyId, entry, error, failures);
        return sent;
      }
      if (delivery) delivery.attempting = null;
    }
    await this.dataSource.query('DELETE FROM zgw_delivery WHERE family_id = $1', [familyId]);
    return sent;
  }

  private markAttempting(familyId: string, callKey: string) {
    return this.dataSource.query(
      `INSERT INTO zgw_delivery (family_id, attempting) VALUES ($1, $2)
       ON CONFLICT (family_id) DO UPDATE SET attempting = excluded.attempting`,
      [familyId, callKey],
    );
  }

  /** Carries out one call; what became of it, and the URL of what it created. */
  private async deliver(
    entry: PendingCall,
    urls: KnownUrls,
    uncertain: boolean,
  ): Promise<SentOutcome> {
    const { call } = entry;
    if (call.kind === 'destroyRol') {
      const url = urls.rolUrl(call.zaak, call.rol);
      // A rol never created (its member was erased before it was sent) has nothing to destroy.
      if (!url) return { outcome: 'skipped', url: null };
      const answer = await this.client.send({ method: 'DELETE', url });
      // 404: gone already, by an earlier attempt whose answer was lost.
      if (answer.status === 204 || answer.status === 404) return { outcome: 'sent', url: null };
      throw new ZgwUnavailable('DELETE /rollen', answer.status, answer.body);
    }
    const ready = await this.withBsn(entry);
    if (!ready) return { outcome: 'skipped', url: null };
    const request = zgwRequest(ready, this.connection, urls);
    if (ready.kind === 'createZaak') {
      return {
        outcome: 'sent',
        url: await this.client.createZaakOnce({ ...request, body: request.body! }),
      };
    }
    if (uncertain && ready.kind !== 'updateZaak') {
      const found = await findCreated(this.client, this.connection, ready, request);
      if (found) return { outcome: 'found', url: found };
    }
    const answer = await this.client.send(request);
    const expected = request.method === 'PATCH' ? 200 : 201;
    if (answer.status !== expected) {
      throw new ZgwUnavailable(`${request.method} ${ready.kind}`, answer.status, answer.body);
    }
    return {
      outcome: 'sent',
      url: request.method === 'POST' ? String((answer.body as { url: string }).url) : null,
    };
  }

  /**
   * A belanghebbende rol gets its member's BSN now, opened from the sealed data the outbox kept;
   * undefined for a member without one, or whose data can no longer be opened (erased since).
   */
  private async withBsn(entry: PendingCall): Promise<ZgwCall | undefined> {
    const { call } = entry;
    if (entry.sealed_personal === null || call.kind !== 'createRol') return call;
    const personal = await this.vault.open<{ bsn?: string }>(entry.sealed_personal);
    if (isErased(personal) || !personal.bsn) return undefined;
    return {
      ...call,
      body: {
        ...call.body,
        betrokkeneType: 'natuurlijk_persoon',
        betrokkeneIdentificatie: { inpBsn: personal.bsn },
      },
    } as ZgwCall;
  }

  private async failed(familyId: string, entry: PendingCall, error: unknown, failures: number) {
    const delay = retryDelayMs(failures, this.options.retryBaseMs, this.options.retryMaxMs);
    const reason = error instanceof Error ? error.message : String(error);
    await this.dataSource.query(
      `INSERT INTO zgw_delivery (family_id, failures, next_attempt_at, attempting, last_error)
       VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000), $4, $5)
       ON CONFLICT (family_id) DO UPDATE SET failures = excluded.failures,
         next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error`,
      [familyId, failures, delay, entry.call_key, reason],
    );
    const unreachable =
      error instanceof ZgwUnavailable && (error.status === 0 || error.status >= 500);
    const context = { family: familyId, call: entry.call_key, kind: entry.call.kind, failures };
    // Down or overloaded: one warning when it starts. A refusal (4xx) needs someone: every time.
    if (!unreachable) {
      const body = error instanceof ZgwUnavailable ? error.body : undefined;
      this.options.logger?.error({ ...context, reason, body }, 'zaaksysteem refused a call');
    } else if (failures === 1) {
      this.options.logger?.warn({ ...context, reason }, 'zaaksysteem unreachable; retrying');
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
