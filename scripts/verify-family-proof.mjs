#!/usr/bin/env node
// Checks a family's tamper-evidence proof offline, with nothing but Node (20+) and this file: no
// project code, no network, no database. Issue 17; the format is documented in
// libs/tamper-evidence/README.md ("A family's proof") and built by
// libs/tamper-evidence/family-proof.ts.
//
//   node scripts/verify-family-proof.mjs proof.json public-key.json
//
// proof.json is what GET /audit/families/{familyId}/proof?sealId=... returns:
//
//   {
//     "familyId": "...",
//     "seal": { "sealId", "size", "root", "sealedAt", "keyId", "signature", "statement" },
//     "events": [
//       {
//         "leaf": 12,                      the event's leaf index in the Merkle tree
//         "position": "123-4",             its global position (informational)
//         "content": { "eventId", "streamId", "streamVersion", "type", "schemaVersion",
//                      "dataJson", "metadataJson", "recordedAt" },
//         "prevHash": "hex or null",       the hash of the event before it in its stream
//         "hash": "hex",                   the event's chain hash
//         "proof": ["hex", ...]            RFC 9162 inclusion proof of its leaf in the sealed tree
//       }
//     ]
//   }
//
// public-key.json is the published seal key (GET /audit/seals/public-key), an RFC 8037 JWK:
// { "kty": "OKP", "crv": "Ed25519", "x": "<base64url>", "kid": "...", ... }.
//
// What is checked:
// 1. the seal: its statement is parsed strictly (seal v1: five LF-ended lines, every field in
//    its one spelling), its fields are the seal's size, root, sealedAt and sealId, its keyId is
//    the id of the given key (base64url of the first 16 bytes of SHA-256 of the raw key), and
//    its signature (Ed25519 over the statement's UTF-8 bytes, base64url) verifies under the key;
// 2. every event: its chain hash is recomputed from its content and prevHash,
//      hash = SHA-256(prevHash || UTF-8(eventId ␟ JSON(streamId) ␟ streamVersion ␟ JSON(type)
//                     ␟ schemaVersion ␟ dataJson ␟ metadataJson ␟ recordedAt))
//    (␟ = U+001F; prevHash is no bytes for a stream's first event) and must equal `hash`; its
//    leaf, SHA-256(0x00 || hash), must be included at `leaf` in the tree of the seal's size and
//    root by `proof` (RFC 9162 §2.1.3.2);
// 3. within each stream, the events run from version 0 without a gap and each one's prevHash is
//    the hash of the one before it (null for version 0).
//
// Prints one line per event, "ok <streamId>@<version>" or "FAIL <streamId>@<version>: <reason>",
// a line for the seal and a summary. Exit status: 0 when everything holds, 1 when anything does
// not, 2 when the input cannot be read (a missing file, not JSON, not a proof or not a key).
//
// A valid proof says: the holder of the seal key stated that the first `size` events of the log
// had this root, and these events, with exactly this content, are among them, each stream's
// events in an unbroken chain from its first. It says nothing about events after the seal.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { argv, exit, stderr, stdout } from 'node:process';

const { Buffer } = globalThis; // Node's own, named for the linter

const STATEMENT_VERSION_LINE = 'een-gezin-een-plan seal v1';
const SEPARATOR = '\u001f';
const HEX_HASH = /^[0-9a-f]{64}$/;
const SIZE = /^(0|[1-9][0-9]*)$/;
const SEALED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RECORDED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;
const PUBLIC_X = /^[A-Za-z0-9_-]{43}$/;

class Unreadable extends Error {}

function main(args) {
  if (args.length !== 2) {
    throw new Unreadable('usage: node verify-family-proof.mjs proof.json public-key.json');
  }
  const proof = readJson(args[0], 'proof');
  const jwk = readJson(args[1], 'public key');
  if (!isObject(proof) || !isObject(proof.seal) || !Array.isArray(proof.events)) {
    throw new Unreadable(`${args[0]}: not a family proof (needs "seal" and "events")`);
  }
  const key = publicKeyOf(jwk, args[1]);

  const sealProblems = checkSeal(proof.seal, key);
  const sealName = `seal ${typeof proof.seal.sealId === 'string' ? proof.seal.sealId : '?'}`;
  if (sealProblems.length === 0) {
    print(`ok ${sealName}: size ${proof.seal.size}, root ${proof.seal.root}`);
  } else {
    print(`FAIL ${sealName}: ${sealProblems.join('; ')}`);
  }

  const results = proof.events.map((event, i) => checkEvent(event, i, proof.seal));
  checkStreams(results);
  let failed = 0;
  for (const result of results) {
    if (result.problems.length === 0) {
      print(`ok ${result.name}`);
    } else {
      failed += 1;
      print(`FAIL ${result.name}: ${result.problems.join('; ')}`);
    }
  }

  const family = typeof proof.familyId === 'string' ? proof.familyId : '?';
  if (sealProblems.length === 0 && failed === 0) {
    print(
      `verified: ${results.length} event(s) of family ${family} in the seal ${proof.seal.sealId} ` +
        `of ${proof.seal.size} events, signed by key ${proof.seal.keyId}`,
    );
    return 0;
  }
  print(
    `NOT VERIFIED: ${failed} of ${results.length} event(s) failed` +
      (sealProblems.length > 0 ? ', and the seal failed' : '') +
      ` (family ${family})`,
  );
  return 1;
}

// ---- input ----

function readJson(path, what) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Unreadable(`${path}: cannot read the ${what} (${error.code ?? error.message})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Unreadable(`${path}: the ${what} is not JSON`);
  }
}

function publicKeyOf(jwk, path) {
  if (!isObject(jwk) || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !isBase64Url(jwk.x, 43)) {
    throw new Unreadable(`${path}: not an Ed25519 public JWK ({ kty: "OKP", crv: "Ed25519", x })`);
  }
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    return { key, keyId: keyIdOf(Buffer.from(jwk.x, 'base64url')) };
  } catch {
    throw new Unreadable(`${path}: not an Ed25519 public JWK`);
  }
}

// ---- 1. the seal ----

function checkSeal(seal, { key, keyId }) {
  const problems = [];
  let fields;
  try {
    fields = parseStatement(seal.statement);
  } catch (error) {
    problems.push(`statement: ${error.message}`);
  }
  if (fields) {
    for (const name of ['size', 'root', 'sealedAt', 'sealId']) {
      if (fields[name] !== seal[name]) {
        problems.push(
          `the statement's ${name} is ${JSON.stringify(fields[name])}, the seal's ` +
            `${JSON.stringify(seal[name])}`,
        );
      }
    }
  }
  if (!Number.isSafeInteger(seal.size) || seal.size < 0) problems.push('size is not a count');
  if (typeof seal.root !== 'string' || !HEX_HASH.test(seal.root)) {
    problems.push('root is not 64 lowercase hex digits');
  }
  if (seal.keyId !== keyId) {
    problems.push(
      `signed by key ${JSON.stringify(seal.keyId)}, but the public key given is ${keyId}`,
    );
  }
  if (!isBase64Url(seal.signature, 86) || !SIGNATURE.test(seal.signature)) {
    problems.push('signature is not base64url of 64 bytes');
  } else if (typeof seal.statement !== 'string') {
    problems.push('no statement to check the signature against');
  } else {
    const signed = verify(
      null,
      Buffer.from(seal.statement, 'utf8'),
      key,
      Buffer.from(seal.signature, 'base64url'),
    );
    if (!signed) problems.push('the signature does not verify under the public key given');
  }
  return problems;
}

/** The statement's fields; throws for any text the seal v1 format would not have written. */
function parseStatement(text) {
  if (typeof text !== 'string') throw new Error('not text');
  if (!text.endsWith('\n')) throw new Error('does not end with LF');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== STATEMENT_VERSION_LINE) {
    throw new Error(`does not start with "${STATEMENT_VERSION_LINE}"`);
  }
  const names = ['size', 'root', 'sealed-at', 'seal-id'];
  if (lines.length !== names.length + 1) throw new Error(`has not ${names.length + 1} lines`);
  const [size, root, sealedAt, sealId] = names.map((name, i) => {
    const line = lines[i + 1];
    if (!line.startsWith(`${name} `)) throw new Error(`line ${i + 2} is not "${name} <value>"`);
    return line.slice(name.length + 1);
  });
  if (!SIZE.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new Error('size is not a decimal count without leading zeros');
  }
  if (!HEX_HASH.test(root)) throw new Error('root is not 64 lowercase hex digits');
  if (!SEALED_AT.test(sealedAt) || !isExistingInstant(sealedAt)) {
    throw new Error('sealed-at is not a UTC time as toISOString writes it');
  }
  if (!UUID.test(sealId)) throw new Error('seal-id is not a lowercase UUID');
  const rebuilt =
    `${STATEMENT_VERSION_LINE}\nsize ${Number(size)}\nroot ${root}\n` +
    `sealed-at ${sealedAt}\nseal-id ${sealId}\n`;
  if (rebuilt !== text) throw new Error('not in its one spelling');
  return { size: Number(size), root, sealedAt, sealId };
}

function isExistingInstant(value) {
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

// ---- 2. each event ----

function checkEvent(event, index, seal) {
  const problems = [];
  const content = isObject(event) && isObject(event.content) ? event.content : {};
  const streamId = typeof content.streamId === 'string' ? content.streamId : undefined;
  const version = Number.isSafeInteger(content.streamVersion) ? content.streamVersion : undefined;
  const name = `${streamId ?? `event #${index}`}@${version ?? '?'}`;
  const result = { name, streamId, version, problems, hash: undefined, prevHash: undefined };
  if (!isObject(event) || !isObject(event.content)) {
    problems.push('no content');
    return result;
  }
  problems.push(...contentProblems(content));
  const prevHash = event.prevHash;
  if (prevHash !== null && !isHexHash(prevHash)) {
    problems.push('prevHash is neither null nor 64 lowercase hex digits');
  }
  if (!isHexHash(event.hash)) {
    problems.push('hash is not 64 lowercase hex digits');
    return result;
  }
  result.hash = event.hash;
  result.prevHash = prevHash;
  if (problems.length === 0) {
    const recomputed = chainHash(prevHash, content);
    if (recomputed !== event.hash) {
      problems.push(`its content does not hash to its hash (it hashes to ${recomputed})`);
    }
  }
  problems.push(...inclusionProblems(event, seal));
  return result;
}

function contentProblems(c) {
  const problems = [];
  if (typeof c.eventId !== 'string' || !UUID.test(c.eventId)) {
    problems.push('eventId is not a lowercase UUID');
  }
  if (typeof c.streamId !== 'string') problems.push('streamId is not text');
  if (!Number.isSafeInteger(c.streamVersion) || c.streamVersion < 0) {
    problems.push('streamVersion is not a count');
  }
  if (typeof c.type !== 'string') problems.push('type is not text');
  if (!Number.isSafeInteger(c.schemaVersion)) problems.push('schemaVersion is not an integer');
  for (const field of ['dataJson', 'metadataJson']) {
    if (typeof c[field] !== 'string' || !isJson(c[field])) {
      problems.push(`${field} is not JSON text`);
    }
  }
  if (typeof c.recordedAt !== 'string' || !RECORDED_AT.test(c.recordedAt)) {
    problems.push('recordedAt is not YYYY-MM-DDTHH:MM:SS.ffffffZ');
  }
  return problems;
}

/** libs/event-store/hash-chain.ts: SHA-256(prev || UTF-8 of the eight fields joined by U+001F). */
function chainHash(prevHashHex, c) {
  const text = [
    c.eventId,
    JSON.stringify(c.streamId),
    String(c.streamVersion),
    JSON.stringify(c.type),
    String(c.schemaVersion),
    c.dataJson,
    c.metadataJson,
    c.recordedAt,
  ].join(SEPARATOR);
  const hash = createHash('sha256');
  if (prevHashHex !== null) hash.update(Buffer.from(prevHashHex, 'hex'));
  return hash.update(text, 'utf8').digest('hex');
}

function inclusionProblems(event, seal) {
  const { leaf, proof } = event;
  if (!Number.isSafeInteger(seal.size) || seal.size < 0 || !isHexHash(seal.root)) {
    return ['no sealed tree to check the inclusion against'];
  }
  if (!Number.isSafeInteger(leaf) || leaf < 0) return ['leaf is not a leaf index'];
  if (leaf >= seal.size) return [`leaf ${leaf} is not in the sealed tree of ${seal.size}`];
  if (!Array.isArray(proof) || !proof.every(isHexHash)) {
    return ['proof is not a list of 64-hex-digit hashes'];
  }
  const leafHash = sha256(Buffer.from([0x00]), Buffer.from(event.hash, 'hex'));
  const included = verifyInclusion(
    leafHash,
    leaf,
    seal.size,
    proof.map((p) => Buffer.from(p, 'hex')),
    Buffer.from(seal.root, 'hex'),
  );
  return included ? [] : [`not included at leaf ${leaf} in the sealed tree (proof fails)`];
}

/** RFC 9162 §2.1.3.2, step by step; sizes up to 2^53, so shifts are written as halving. */
function verifyInclusion(leafHash, index, size, path, root) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([0x01]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = sha256(Buffer.from([0x01]), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// ---- 3. the links within each stream ----

function checkStreams(results) {
  const streams = new Map();
  for (const result of results) {
    if (result.streamId === undefined || result.version === undefined) continue;
    const list = streams.get(result.streamId) ?? [];
    list.push(result);
    streams.set(result.streamId, list);
  }
  for (const [streamId, list] of streams) {
    const ordered = [...list].sort((a, b) => a.version - b.version);
    let before;
    for (const result of ordered) {
      if (before && before.version === result.version) {
        result.problems.push(`${streamId}@${result.version} is listed twice`);
        continue;
      }
      const expected = before ? before.version + 1 : 0;
      if (result.version !== expected) {
        const missing =
          result.version - expected === 1
            ? `${streamId}@${expected} is missing`
            : `${streamId}@${expected} to @${result.version - 1} are missing`;
        result.problems.push(`${missing} before it`);
      }
      if (result.version === 0 || !before) {
        if (result.version === 0 && result.prevHash !== null && result.prevHash !== undefined) {
          result.problems.push('a first event with a prevHash');
        }
      } else if (result.prevHash !== undefined && result.prevHash !== before.hash) {
        result.problems.push(
          `its prevHash is not the hash of ${streamId}@${before.version}, the event before it`,
        );
      }
      before = result;
    }
  }
}

// ---- helpers ----

function sha256(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The JWK key id: base64url of the first 16 bytes of SHA-256 of the raw 32-byte public key. */
function keyIdOf(raw) {
  return sha256(raw).subarray(0, 16).toString('base64url');
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHexHash(value) {
  return typeof value === 'string' && HEX_HASH.test(value);
}

/** Strict base64url without padding: Buffer.from skips characters outside the alphabet. */
function isBase64Url(value, length) {
  return (
    typeof value === 'string' &&
    value.length === length &&
    (length === 43 ? PUBLIC_X : SIGNATURE).test(value) &&
    Buffer.from(value, 'base64url').toString('base64url') === value
  );
}

function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function print(line) {
  stdout.write(`${line}\n`);
}

let status;
try {
  status = main(argv.slice(2));
} catch (error) {
  if (!(error instanceof Unreadable)) throw error;
  stderr.write(`error: ${error.message}\n`);
  status = 2;
}
exit(status);
