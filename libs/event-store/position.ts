/**
 * A place in the global order of all events. Both adapters have a pair of numbers:
 * Postgres orders by (transaction id, sequence) and EventStoreDB by (commit, prepare).
 * Clients see it as an opaque string, "<commit>-<prepare>".
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function formatPosition(p: Position): string {
  return `${p.commit}-${p.prepare}`;
}

const POSITION_PATTERN = /^(-1|\d{1,20})-(-1|\d{1,20})$/;

/** Returns undefined for anything that is not a position this service wrote. */
export function parsePosition(text: string): Position | undefined {
  const match = POSITION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export function maxPosition(a: Position, b: Position): Position {
  return comparePositions(a, b) >= 0 ? a : b;
}
