import type { DomainEvent } from '../aggregates/event-sourced-aggregate.js';
import type { FoldedStream } from '../aggregates/aggregate-repository.js';

/**
 * An aggregate as two pure functions (Emmett's deciders): `decide` answers a command with the
 * events it causes (or throws a domain error), `evolve` folds an event into the state. Decided
 * events may still carry plaintext (`Decided`); the pipeline seals them into the stored `Event`.
 */
export interface Decider<
  State,
  Command,
  Event extends DomainEvent,
  Decided,
  Context,
> extends FoldedStream<State, Event> {
  /** What a conflicting If-Match names ("The plan changed since you read it"). */
  readonly label: string;
  decide(command: Command, state: State, context: Context): readonly Decided[];
}

/** A stream version as an entity tag: `"12"`. */
export const etagOf = (streamVersion: number) => `"${streamVersion}"`;
