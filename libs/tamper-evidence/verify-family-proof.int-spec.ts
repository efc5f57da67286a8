import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import { SystemClock } from '../clock/index.js';
import { logReaches } from '../../test/support/sealed-store.js';
import { openDataSource } from '../database/data-source.js';
import { ANY } from '../event-store/expected-version.js';
import { PostgresEventStore } from '../event-store/postgres/postgres-event-store.js';
import { testEvent, testStream } from '../event-store/testing/event-fixtures.js';
import { EventSchemaRegistry } from '../event-store/upcasting.js';
import { inclusionPlan, lookupFrom, nodesOf, resolvePlan } from '../merkle/merkle-nodes.js';
import { familyProof, type FamilyProofJSON } from './family-proof.js';
import { MerkleLog } from './merkle-log.js';
import { SealSigner } from './seal-signer.js';
import { DirectorySink } from './seal-sink.js';
import { Sealer } from './sealer.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/verify-family-proof.mjs', import.meta.url));

describe('scripts/verify-family-proof.mjs on a real proof (Postgres, no server)', () => {
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let dir: string;
  let proof: FamilyProofJSON;
  let stream: string;
  const signer = SealSigner.fromPrivateKey(generateKeyPairSync('ed25519').privateKey);

  beforeAll(async () => {
    const url = await createTestDatabase('family_proof');
    dataSource = await openDataSource(url, []);
    const schemas = new EventSchemaRegistry();
    store = new PostgresEventStore({ connectionString: url, schemas, clock: new SystemClock() });
    dir = mkdtempSync(join(tmpdir(), 'egep-proof-'));
    const log = new MerkleLog(dataSource, store, { batchSize: 4, pollMs: 20 });
    const sealer = new Sealer(dataSource, log, signer, new DirectorySink(dir), new SystemClock(), {
      everyEvents: 1_000,
      intervalMinutes: 60,
    });
    stream = testStream('family');
    const other = testStream('other');
    const data = [
      { n: 0, nested: { list: [1, 'two', null], deep: { b: true } } },
      { text: 'ü "q" \\ \n \u001f € 😀' },
      { n: 2 },
      { n: 3, empty: {} },
      { n: 4 },
    ];
    for (const [i, d] of data.entries()) {
      await store.appendToStream(stream, [testEvent('test.Happened', d)], { expectedVersion: ANY });
      await store.appendToStream(other, [testEvent('test.Other', { i })], {
        expectedVersion: ANY,
      });
    }
    await logReaches(log, data.length * 2);
    const seal = await sealer.seal();

    const leaves: Array<{ leaf: string; event_id: string }> = await dataSource.query(
      'SELECT leaf::text AS leaf, event_id::text AS event_id FROM merkle_leaves WHERE stream_id = $1',
      [stream],
    );
    const leafOf = new Map(leaves.map((l) => [l.event_id, Number(l.leaf)]));
    const hashed = await store.readStreamContent(stream);
    const events = [];
    for (const h of hashed) {
      const leaf = leafOf.get(h.content.eventId)!;
      const plan = inclusionPlan(leaf, seal.size);
      const refs = nodesOf(plan);
      const rows: Array<{ level: number; idx: string; hash: Buffer }> = await dataSource.query(
        `SELECT n.level, n.idx, n.hash FROM merkle_nodes n
           JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx)
             ON n.level = w.level AND n.idx = w.idx`,
        [refs.map((r) => r.level), refs.map((r) => r.index)],
      );
      const lookup = lookupFrom(
        rows.map((r) => ({ level: r.level, index: Number(r.idx), hash: r.hash })),
      );
      events.push({ leaf, position: h.position, hashed: h, proof: resolvePlan(plan, lookup) });
    }
    proof = familyProof({ familyId: 'family-1', seal, events });
  });

  afterAll(async () => {
    await store?.close();
    await dataSource?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function run(p: unknown, key: unknown = signer.publicJwk()) {
    const proofPath = join(dir, 'proof.json');
    const keyPath = join(dir, 'public-key.json');
    writeFileSync(proofPath, JSON.stringify(p));
    writeFileSync(keyPath, JSON.stringify(key));
    const result = spawnSync(process.execPath, [SCRIPT, proofPath, keyPath], { encoding: 'utf8' });
    return { status: result.status, lines: result.stdout.split('\n').filter(Boolean) };
  }

  const copy = (): FamilyProofJSON => JSON.parse(JSON.stringify(proof)) as FamilyProofJSON;
  type Mutable = { -readonly [K in keyof FamilyProofJSON]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('verifies an untouched proof: exit 0, an ok line per event', () => {
    const { status, lines } = run(proof);
    expect(lines).toEqual(expect.arrayContaining([0, 1, 2, 3, 4].map((v) => `ok ${stream}@${v}`)));
    expect(lines.some((l) => l.startsWith('FAIL'))).toBe(false);
    expect(status).toBe(0);
  });

  it('names an event whose dataJson was edited', () => {
    const p = copy() as Mutable;
    p.events[2].content.dataJson = p.events[2].content.dataJson.replace('2', '7');
    const { status, lines } = run(p);
    expect(status).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^FAIL ${stream}@2: .*does not hash`)),
    );
  });

  it('names an event whose hash was changed', () => {
    const p = copy() as Mutable;
    p.events[1].hash = 'ab'.repeat(32);
    const { status, lines } = run(p);
    expect(status).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^FAIL ${stream}@1: `)));
  });

  it('names an event with a wrong proof entry', () => {
    const p = copy() as Mutable;
    p.events[3].proof[0] = 'cd'.repeat(32);
    const { status, lines } = run(p);
    expect(status).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^FAIL ${stream}@3: .*not included`)),
    );
  });

  it('fails a seal whose statement was edited', () => {
    const p = copy() as Mutable;
    p.seal.statement = p.seal.statement.replace(/root [0-9a-f]/, 'root 0');
    if (p.seal.statement === proof.seal.statement) {
      p.seal.statement = p.seal.statement.replace(/root 0/, 'root 1');
    }
    const { status, lines } = run(p);
    expect(status).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL seal .*signature does not verify/));
  });

  it('fails a seal checked with a wrong public key', () => {
    const wrong = SealSigner.fromPrivateKey(generateKeyPairSync('ed25519').privateKey).publicJwk();
    const { status, lines } = run(proof, wrong);
    expect(status).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL seal .*public key/));
  });

  it('names the gap where an event in the middle of a stream was removed', () => {
    const p = copy() as Mutable;
    p.events.splice(2, 1);
    const { status, lines } = run(p);
    expect(status).toBe(1);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^FAIL ${stream}@3: ${stream}@2 is missing`)),
    );
  });

  it('exits 2 on unreadable input', () => {
    const result = spawnSync(process.execPath, [SCRIPT, join(dir, 'nope.json'), join(dir, 'x')], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
  });
});
