/**
 * The statement a seal signs: the exact bytes the Ed25519 signature is over. Anyone can rebuild
 * it by hand from a seal's fields and check the signature with nothing but a crypto library.
 *
 * It is ASCII text (so its UTF-8 bytes are its characters), five lines, each ended by one LF
 * (0x0A, no CR, also after the last line), in this order and nothing else:
 *
 * ```
 * een-gezin-een-plan seal v1
 * size <n>
 * root <64 lowercase hex>
 * sealed-at <ISO 8601 UTC with milliseconds>
 * seal-id <uuid>
 * ```
 *
 * - `size`: the number of events sealed (the Merkle tree's size), in decimal without leading
 *   zeros, 0 to 2^53 − 1;
 * - `root`: the RFC 6962 Merkle tree hash of those events (libs/merkle), 32 bytes as 64
 *   lowercase hexadecimal digits;
 * - `sealed-at`: when the seal was made, exactly as `Date.prototype.toISOString` writes it,
 *   `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC, three digits of milliseconds, a capital `Z`);
 * - `seal-id`: the seal's UUID in its canonical lowercase form (8-4-4-4-12 hex digits).
 *
 * One space separates each name from its value. The first line names the format and its
 * version; a later format gets a new version line, so a statement of one version can never be
 * read as one of another. Because every field has exactly one spelling, a statement has exactly
 * one meaning and a meaning exactly one statement: `parseSealStatement` refuses anything
 * `sealStatement` would not have written.
 *
 * For example, the seal of an empty log (whose root is SHA-256 of no bytes), 184 bytes:
 *
 * ```
 * een-gezin-een-plan seal v1
 * size 0
 * root e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
 * sealed-at 2027-01-15T09:00:00.000Z
 * seal-id 0190d3c6-6b1e-7c3a-9f2e-5b8d4a1c2e3f
 * ```
 */
export const SEAL_STATEMENT_VERSION_LINE = 'een-gezin-een-plan seal v1';

export interface SealFields {
  /** Events sealed: the Merkle tree's size. */
  readonly size: number;
  /** The Merkle tree hash, 64 lowercase hex digits. */
  readonly root: string;
  /** ISO 8601 UTC with milliseconds, as `toISOString` writes it. */
  readonly sealedAt: string;
  /** Canonical lowercase UUID. */
  readonly sealId: string;
}

export class SealStatementError extends Error {
  override readonly name = 'SealStatementError';
}

const ROOT = /^[0-9a-f]{64}$/;
const SIZE = /^(0|[1-9][0-9]*)$/;
const SEALED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SEAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why the fields cannot be sealed, or undefined when they can. */
export function sealFieldsProblem(fields: SealFields): string | undefined {
  const { size, root, sealedAt, sealId } = fields;
  if (!Number.isSafeInteger(size) || size < 0) return 'size must be an integer 0 to 2^53 - 1';
  if (typeof root !== 'string' || !ROOT.test(root)) {
    return 'root must be 64 lowercase hex digits';
  }
  if (typeof sealedAt !== 'string' || !isCanonicalInstant(sealedAt)) {
    return 'sealed-at must be a UTC time as toISOString writes it (YYYY-MM-DDTHH:mm:ss.sssZ)';
  }
  if (typeof sealId !== 'string' || !SEAL_ID.test(sealId)) {
    return 'seal-id must be a UUID in lowercase canonical form';
  }
  return undefined;
}

/** The statement of a seal (see above); throws SealStatementError for fields it cannot hold. */
export function sealStatement(fields: SealFields): string {
  const problem = sealFieldsProblem(fields);
  if (problem) throw new SealStatementError(`Cannot seal: ${problem}`);
  return (
    `${SEAL_STATEMENT_VERSION_LINE}\n` +
    `size ${fields.size}\n` +
    `root ${fields.root}\n` +
    `sealed-at ${fields.sealedAt}\n` +
    `seal-id ${fields.sealId}\n`
  );
}

/**
 * The fields of a statement `sealStatement` wrote. Strict: throws SealStatementError for any
 * other text (another version, a CR, a missing final LF, extra or reordered lines or spaces,
 * uppercase hex, leading zeros, a time in another spelling or that does not exist).
 */
export function parseSealStatement(text: string): SealFields {
  if (typeof text !== 'string') throw new SealStatementError('A seal statement is text');
  if (!text.endsWith('\n')) throw new SealStatementError('A seal statement ends with LF');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== SEAL_STATEMENT_VERSION_LINE) {
    throw new SealStatementError(`A seal statement starts with "${SEAL_STATEMENT_VERSION_LINE}"`);
  }
  const names = ['size', 'root', 'sealed-at', 'seal-id'];
  if (lines.length !== names.length + 1) {
    throw new SealStatementError(`A seal statement has ${names.length + 1} lines`);
  }
  const values = names.map((name, i) => {
    const line = lines[i + 1];
    if (!line.startsWith(`${name} `)) {
      throw new SealStatementError(`Line ${i + 2} of a seal statement is "${name} <value>"`);
    }
    return line.slice(name.length + 1);
  });
  const [size, root, sealedAt, sealId] = values;
  if (!SIZE.test(size)) throw new SealStatementError('Invalid seal statement: size is not decimal');
  const fields: SealFields = { size: Number(size), root, sealedAt, sealId };
  const problem = sealFieldsProblem(fields);
  if (problem) throw new SealStatementError(`Invalid seal statement: ${problem}`);
  // The one spelling of these fields; anything else (such as a size beyond 2^53) is refused.
  if (sealStatement(fields) !== text) throw new SealStatementError('Invalid seal statement');
  return fields;
}

/** The form toISOString writes, of an instant that exists (no 30 February, no hour 24). */
function isCanonicalInstant(value: string): boolean {
  if (!SEALED_AT.test(value)) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}
