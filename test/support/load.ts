import { randomUUID } from 'node:crypto';

/**
 * HTTP load of mixed commands for the fault tests (SIGKILL, Postgres restart): register family,
 * add member, open plan, add goal, add note, with an Idempotency-Key on about half of them.
 * Every request carries its own X-Correlation-Id, which becomes the correlation id of the events
 * it appends, so a test can find exactly which events each acknowledged command wrote.
 */

export type CommandKind = 'register' | 'add-member' | 'open-plan' | 'add-goal' | 'add-note';

export interface SentCommand {
  readonly kind: CommandKind;
  readonly path: string;
  readonly body: unknown;
  readonly correlationId: string;
  readonly idempotencyKey?: string;
  /** HTTP status, or 'network' (the connection failed) or 'timeout' (no answer in time). */
  status: number | 'network' | 'timeout';
  contentType?: string;
  retryAfter?: string | null;
  response?: unknown;
  startedAt: number;
  ms: number;
}

interface OwnFamily {
  familyId: string;
  memberIds: string[];
  hasPlan: boolean;
  goals: number;
}

export interface LoadOptions {
  readonly base: string;
  readonly token: string;
  readonly teamId: string;
  readonly workers: number;
  /** A request without an answer by then counts as 'timeout' (it must not happen). */
  readonly requestTimeoutMs?: number;
}

const member = (n: number, role: 'parent' | 'child') => ({
  givenName: `${role === 'parent' ? 'Ouder' : 'Kind'} ${n}`,
  familyName: 'Last',
  dateOfBirth: role === 'parent' ? '1988-04-01' : '2016-09-12',
  role,
});

export class CommandLoad {
  readonly sent: SentCommand[] = [];
  private stopping = false;
  private running: Promise<void>[] = [];
  private counter = 0;

  constructor(private readonly options: LoadOptions) {}

  get acknowledged(): SentCommand[] {
    return this.sent.filter((c) => typeof c.status === 'number' && c.status < 300);
  }

  start(): void {
    this.running = Array.from({ length: this.options.workers }, () => this.worker());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** Sends one command and records what came back. */
  async send(
    kind: CommandKind,
    path: string,
    body: unknown,
    idempotencyKey?: string,
  ): Promise<SentCommand> {
    const command: SentCommand = {
      kind,
      path,
      body,
      correlationId: randomUUID(),
      idempotencyKey,
      status: 'network',
      startedAt: Date.now(),
      ms: 0,
    };
    try {
      const response = await fetch(`${this.options.base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.options.token}`,
          'x-correlation-id': command.correlationId,
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 15_000),
      });
      command.status = response.status;
      command.contentType = response.headers.get('content-type') ?? undefined;
      command.retryAfter = response.headers.get('retry-after');
      const text = await response.text();
      command.response = text ? (JSON.parse(text) as unknown) : undefined;
    } catch (error) {
      command.status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    }
    command.ms = Date.now() - command.startedAt;
    this.sent.push(command);
    return command;
  }

  private async worker(): Promise<void> {
    const families: OwnFamily[] = [];
    while (!this.stopping) {
      const n = (this.counter += 1);
      const key = n % 2 === 0 ? randomUUID() : undefined;
      const family = families[n % Math.max(1, families.length)];
      let sent: SentCommand;
      if (!family || n % 5 === 0) {
        const body = {
          teamId: this.options.teamId,
          members: [member(n, 'parent'), member(n, 'child')],
        };
        sent = await this.send('register', '/api/v1/families', body, key);
        if (sent.status === 201) {
          const { familyId, memberIds } = sent.response as {
            familyId: string;
            memberIds: string[];
          };
          families.push({ familyId, memberIds: [...memberIds], hasPlan: false, goals: 0 });
        }
      } else if (!family.hasPlan) {
        sent = await this.send(
          'open-plan',
          `/api/v1/families/${family.familyId}/plan`,
          undefined,
          key,
        );
        // 409: an earlier, unacknowledged attempt opened it after all.
        if (sent.status === 201 || sent.status === 409) family.hasPlan = true;
      } else if (n % 3 === 0 || family.goals >= 10) {
        const body = { text: `Voortgang ${n}` };
        sent = await this.send(
          'add-note',
          `/api/v1/families/${family.familyId}/plan/notes`,
          body,
          key,
        );
      } else if (n % 3 === 1) {
        const body = {
          familyWording: `Doel ${n}`,
          concerns: [family.memberIds[0]],
          lifeDomain: 'housing',
        };
        sent = await this.send(
          'add-goal',
          `/api/v1/families/${family.familyId}/plan/goals`,
          body,
          key,
        );
        if (sent.status === 201) family.goals += 1;
      } else {
        const body = member(n, 'child');
        sent = await this.send(
          'add-member',
          `/api/v1/families/${family.familyId}/members`,
          body,
          key,
        );
        if (sent.status === 201)
          family.memberIds.push((sent.response as { memberId: string }).memberId);
      }
      // Failing fast during an outage must not turn into a busy loop on a 2-core machine.
      if (sent.status !== 201) await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Waits until `condition` holds, polling; throws with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  condition: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** `fn` over `items`, at most `limit` at a time: a burst of retries must not be a load test. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
