import { describeExpectedVersion, type ExpectedVersion } from './expected-version.js';

/** The stream was not at the version the writer expected: somebody else appended first. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | undefined,
  ) {
    super(
      `Stream ${streamId} was expected at ${describeExpectedVersion(expected)} but is at ${
        actual === undefined ? 'no stream' : `version ${actual}`
      }`,
    );
  }
}

/** An event's type was stored with a schema version this build cannot upcast. */
export class UnknownSchemaVersionError extends Error {
  override readonly name = 'UnknownSchemaVersionError';
}
