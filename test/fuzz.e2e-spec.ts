import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type pg from 'pg';
import { operationsOf, type Operation } from './support/fuzz/openapi.js';
import { seedFixture } from './support/fuzz/fixture.js';
import {
  breakersOf,
  fuzzCases,
  type Fixture,
  type FuzzCase,
} from './support/fuzz/request-cases.js';
import { describeCase, send, violations } from './support/fuzz/send-and-check.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { connect, createTestDatabase } from './support/test-database.js';

/**
 * Hostile and invalid requests for every operation of the OpenAPI document (api.md: errors are
 * problem details; unknown fields are 400). NUL and the other refused control characters are
 * sure breaks of their own, in any string of a body, a query value or key, a path id and a
 * token's claims: alone they used to reach PostgreSQL (a 500). Short in CI: a fixed seed and FUZZ_RUNS runs per
 * operation. Long: FUZZ_RUNS=1000 FUZZ_SEED=<any> (a failure prints the seed to replay it);
 * FUZZ_SHRINK=1 shrinks a failure to a smaller request, at the cost of many more requests.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_214);
const SHRINK = process.env.FUZZ_SHRINK === '1';

/** A seed per operation, so that a new endpoint does not change the others' requests. */
function seedOf(op: Operation): number {
  return createHash('sha256').update(`${SEED} ${op.id}`).digest().readInt32LE(0);
}

interface Head {
  count: number;
  seq: string;
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let db: pg.Client;
  let fixture: Fixture;
  let operations: Operation[];
  let documented = 0;

  async function head(): Promise<Head> {
    const { rows } = await db.query<{ n: string; seq: string }>(
      'SELECT count(*)::text AS n, coalesce(max(seq), 0)::text AS seq FROM events',
    );
    return { count: Number(rows[0].n), seq: rows[0].seq };
  }

  beforeAll(async () => {
    const url = await createTestDatabase('fuzz');
    t = await startTestApp({ DATABASE_URL: url });
    db = await connect(url);
    fixture = await seedFixture(t);
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    operations = operationsOf(doc);
    documented = Object.values(doc.paths as Record<string, object>)
      .flatMap((item) => Object.keys(item))
      .filter((key) =>
        ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(key),
      ).length;
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it(
    'answers every hostile request without a 5xx, as problem details, and appends nothing',
    async () => {
      const failures: string[] = [];
      const before = await head();
      let covered = 0;
      let requests = 0;
      const durations: Array<[string, number]> = [];
      for (const op of operations) {
        const started = Date.now();
        const opBefore = await head();
        const seed = seedOf(op);
        // One request of each kind of sure break first, whatever the random runs pick.
        const examples = breakersOf(op).map(
          (only) =>
            [fc.sample(fuzzCases(op, fixture, only), { seed, numRuns: 1 })[0]] as [FuzzCase],
        );
        const details = await fc.check(
          fc.asyncProperty(fuzzCases(op, fixture), async (c) => {
            requests += 1;
            const answer = await send(t, op, fixture, c);
            const found = violations(op, c, answer);
            if (found.length) {
              throw new Error(
                `${found.join('; ')}\nanswer: ${answer.status} ${answer.text.slice(0, 400)}\nrequest: ${describeCase(op, c)}`,
              );
            }
          }),
          { numRuns: RUNS, seed, examples, endOnFailure: !SHRINK },
        );
        covered += 1;
        if (details.failed) {
          failures.push(
            `${op.id} (replay: FUZZ_SEED=${SEED}, seed of this operation ${seed}, path ${details.counterexamplePath}):\n` +
              String(
                (details.errorInstance as Error | undefined)?.message ?? details.errorInstance,
              ),
          );
        }
        durations.push([op.id, Date.now() - started]);
        const opAfter = await head();
        if (opAfter.count !== opBefore.count) {
          const { rows } = await db.query<{ type: string }>(
            'SELECT type FROM events WHERE seq > $1 ORDER BY seq',
            [opBefore.seq],
          );
          failures.push(
            `${op.id} appended ${opAfter.count - opBefore.count} events: ${rows.map((r) => r.type).join(', ')}`,
          );
        }
      }
      const after = await head();
      console.log(
        `fuzz: ${covered} operations, ${requests} requests, ${RUNS} runs each, seed ${SEED}; slowest: ` +
          [...durations]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(([id, ms]) => `${id} ${ms} ms`)
            .join(', '),
      );

      expect(covered).toBe(documented);
      expect(failures).toEqual([]);
      expect(after).toEqual(before);
    },
    Math.max(120_000, RUNS * 55 * 1_000),
  );

  // Found by the fuzzer. The Idempotency-Key interceptor hashes JSON.stringify(request.body)
  // before any pipe runs, and JSON.stringify overflows the stack on 20 000 nested arrays: a 500.
  // The fix belongs before the interceptors (see the report of issue 7): refuse such a body in
  // configure-app.ts, right after express.json, with libs/http/validation.ts' tooDeeplyNested.
  it('refuses a deeply nested body with an Idempotency-Key with a 400, not a 500', async () => {
    const before = await head();
    const deep = `{"reason":"Niet om gevraagd","extra":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const response = await t.http
      .post(`/api/v1/me/access-log/${fixture.pathValues.entryId[0]}/dispute`)
      .set('authorization', fixture.authorization.citizen!)
      .set('idempotency-key', 'fuzz-deep-1')
      .set('content-type', 'application/json')
      .send(deep);
    expect({ status: response.status, type: response.body.type }).toEqual({
      status: 400,
      type: 'urn:egep:problem:validation-error',
    });
    expect(await head()).toEqual(before);
  });
});
