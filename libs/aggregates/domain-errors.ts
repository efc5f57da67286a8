/** Well-formed but not allowed by a domain rule: HTTP 422. */
export class DomainRuleViolation extends Error {
  override readonly name = 'DomainRuleViolation';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Conflicts with the current state (a second active plan, say): HTTP 409. */
export class DomainConflict extends Error {
  override readonly name = 'DomainConflict';

  constructor(
    message: string,
    readonly links?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A thing inside an aggregate (a goal, an action) that does not exist: HTTP 404. */
export class DomainNotFound extends Error {
  override readonly name = 'DomainNotFound';
}

/** The caller's If-Match names a version that is no longer current: HTTP 412. */
export class StaleVersion extends Error {
  override readonly name = 'StaleVersion';
}
