/** The stream must not exist yet. */
export const NO_STREAM = 'no_stream' as const;
/** Append whatever the stream's version is. */
export const ANY = 'any' as const;
/** The stream must exist, at any version. */
export const STREAM_EXISTS = 'stream_exists' as const;

/** A number is the exact 0-based version of the stream's last event. */
export type ExpectedVersion = typeof NO_STREAM | typeof ANY | typeof STREAM_EXISTS | number;

export function describeExpectedVersion(expected: ExpectedVersion): string {
  return typeof expected === 'number' ? `version ${expected}` : expected;
}
