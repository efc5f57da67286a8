import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verifySeal } from '#libs/tamper-evidence/seal-signer.js';
import { httpSession, type HttpSession } from './support/http-session.js';
import { recomputeChain } from './support/sealed-store.js';
import { AUDIT_CLI, runCli } from './support/server-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();
const SCRIPT = fileURLToPath(new URL('../scripts/verify-family-proof.mjs', import.meta.url));

/** Runs the outsider's script on a proof and a public key, as files, with nothing but Node. */
function checkOffline(proof: unknown, jwk: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'egep-proof-'));
  try {
    writeFileSync(join(dir, 'proof.json'), JSON.stringify(proof));
    writeFileSync(join(dir, 'key.json'), JSON.stringify(jwk));
    return spawnSync(process.execPath, [SCRIPT, join(dir, 'proof.json'), join(dir, 'key.json')], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('seals and the store-wide verification over HTTP (issue 17)', () => {
  let t: TestApp;
  let s: HttpSession;
  let sanne: string;
  let auditor: string;

  beforeAll(async () => {
    t = await startTestApp();
    s = httpSession(t);
    sanne = await t.token({ teams: [TEAM] });
    auditor = await t.token({
      sub: 'audit-anna',
      name: 'Anna',
      organisation: 'Gemeente Almere',
      roles: ['auditor'],
    });
  });
  afterAll(async () => t?.close());

  it('publishes the public key without a token, and seals on an auditor’s request', async () => {
    const { familyId } = await s.registerFamily(sanne, { teamId: TEAM });
    const jwk = (await t.http.get('/api/v1/audit/seals/public-key').expect(200)).body;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });

    await s.send(sanne, 'post', '/api/v1/audit/seals', {}, 403);
    const seal = await s.send(auditor, 'post', '/api/v1/audit/seals', {}, 201);
    const events = (await t.infra.eventStore.readChain({ maxCount: 100_000 })).length;
    expect(seal).toMatchObject({ events, keyId: jwk.kid, upTo: expect.any(String) });
    expect(verifySeal(seal.statement, seal.signature, jwk)).toBe(true);
    // The first events were sealed by themselves already (no seal yet is a seal due).
    const { items } = (await s.read(auditor, '/api/v1/audit/seals').expect(200)).body;
    expect(items).toContainEqual(seal);
    await s.read(sanne, '/api/v1/audit/seals').expect(403);

    const verification = (await s.read(auditor, '/api/v1/audit/verification').expect(200)).body;
    expect(verification).toEqual({ valid: true, events, seals: items.length, problems: [] });
    await s.read(sanne, '/api/v1/audit/verification').expect(403);
    // The same from the command line, with the key and sink of this installation.
    const env = {
      DATABASE_URL: t.infra.databaseUrl,
      DATA_DIR: t.infra.config.DATA_DIR,
      LOG_LEVEL: 'silent',
    };
    const verified = await runCli(['verify'], env, AUDIT_CLI);
    expect({ code: verified.code, result: JSON.parse(verified.stdout) }).toEqual({
      code: 0,
      result: verification,
    });
    expect(verified.stderr).toMatch(new RegExp(`verify \\[${events}/${events} events\\]`));

    // The family's proof, checked offline by the outsider's script with the public key alone.
    const proof = (await s.read(auditor, `/api/v1/audit/families/${familyId}/proof`).expect(200))
      .body;
    await s.read(sanne, `/api/v1/audit/families/${familyId}/proof`).expect(404);
    await s
      .read(auditor, `/api/v1/audit/families/${familyId}/proof?sealId=${randomUUID()}`)
      .expect(404);
    expect(proof.seal.sealId).toBe(items.at(-1).sealId);
    expect(
      proof.events.map((e: { content: { streamId: string } }) => e.content.streamId),
    ).toContain(`family-${familyId}`);
    expect(checkOffline(proof, jwk)).toMatchObject({ status: 0 });
    const edited = structuredClone(proof);
    edited.events[0].content.dataJson = edited.events[0].content.dataJson.replace(
      TEAM,
      randomUUID(),
    );
    const refused = checkOffline(edited, jwk);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/FAIL family-/);

    // An insider changes the family's registration and recomputes its chain with event_hash.
    const [registered] = await t.infra.eventStore.readStream(`family-${familyId}`);
    await t.infra.dataSource.query(
      `UPDATE events SET data = jsonb_set(data, '{teamId}', to_jsonb($2::text)) WHERE event_id = $1`,
      [registered.metadata.eventId, randomUUID()],
    );
    await recomputeChain(t.infra.dataSource, `family-${familyId}`);
    const tampered = (await s.read(auditor, '/api/v1/audit/verification').expect(200)).body;
    expect(tampered.valid).toBe(false);
    const failed = await runCli(['verify'], env, AUDIT_CLI);
    expect({ code: failed.code, result: JSON.parse(failed.stdout) }).toEqual({
      code: 1,
      result: tampered,
    });
    // The family's own verification says so too, though every hash of its stream holds.
    const family = (
      await s.read(auditor, `/api/v1/audit/families/${familyId}/verification`).expect(200)
    ).body;
    expect(family).toMatchObject({ valid: false, firstBroken: null });
    expect(family.problems).toContainEqual(
      expect.objectContaining({ kind: 'event-changed', eventId: registered.metadata.eventId }),
    );
    expect(tampered.problems).toContainEqual(
      expect.objectContaining({
        kind: 'event-changed',
        eventId: registered.metadata.eventId,
        streamId: `family-${familyId}`,
      }),
    );
  });
});
