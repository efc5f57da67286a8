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
