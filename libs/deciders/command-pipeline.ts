import type { AggregateRepository, CommandContext } from '../aggregates/aggregate-repository.js';
import { StaleVersion } from '../aggregates/domain-errors.js';
import type { DomainEvent } from '../aggregates/event-sourced-aggregate.js';
import { formatPosition } from '../event-store/position.js';
import { ifMatchAllows, parseIfMatch } from '../http/if-match.js';
import { etagOf, type Decider } from './decider.js';

/** One command for one stream, with what only its capability knows. */
export interface CommandRun<State, Command, Event extends DomainEvent, Decided, Context> {
  readonly decider: Decider<State, Command, Event, Decided, Context>;
  /** The stream's id (its name is `<category>-<id>`). */
  readonly id: string;
  readonly command: Command;
  /** Who acts and why: the metadata of every event. */
  readonly context: CommandContext;
  /** The request's If-Match header, if any. */
  readonly ifMatch?: string;
  /**
   * Checks who may act (throws the 403 or 404) and gathers what the decision needs besides the
   * state. Runs before If-Match is compared, so a refusal never reveals the stream's version.
   */
  authorize(state: State, version: number): Promise<Context>;
  /** Seals the personal data one decided event carries; called only after the decision. */
  seal(event: Decided): Promise<Event>;
}

export interface CommandOutcome<State, Event, Context> {
  /** The global position of the last event: clients read after it (X-Consistent-After). */
  readonly position: string;
  readonly state: State;
  readonly version: number;
  readonly events: readonly Event[];
  /** What `authorize` gathered, for an answer computed by the same rules as the decision. */
  readonly context: Context;
}

/**
 * The one path of every command: load (from the latest snapshot), check access, honour
 * If-Match, decide, seal, append with the loaded version as the expected version, answer with
 * the position. A concurrent writer makes the append fail with WrongExpectedVersionError, which
 * the HTTP layer answers with 409 (libs/http/problem-details.ts); nothing is half-written, as
 * the append is one transaction.
 */
export class CommandPipeline {
  constructor(private readonly repository: AggregateRepository) {}

  async run<State, Command, Event extends DomainEvent, Decided, Context>(
    run: CommandRun<State, Command, Event, Decided, Context>,
  ): Promise<CommandOutcome<State, Event, Context>> {
    const { decider } = run;
    // A malformed header is the client's mistake (400), whatever the stream's version.
    const condition = run.ifMatch === undefined ? undefined : parseIfMatch(run.ifMatch);
    const loaded = await this.repository.loadState(decider, run.id);
    const { state, version } = loaded ?? { state: decider.initialState, version: -1 };
    const context = await run.authorize(state, version);
    if (condition && !ifMatchAllows(condition, version >= 0 ? etagOf(version) : undefined)) {
      throw new StaleVersion(
        `The ${decider.label} changed since you read it (it is now at ${etagOf(version)}); reload it`,
      );
    }
    const decided = decider.decide(run.command, state, context);
    if (decided.length === 0) {
      throw new Error(`A ${decider.label} command that changes nothing must be refused by decide`);
    }
    const events: Event[] = [];
    for (const event of decided) events.push(await run.seal(event));
    const after = events.reduce(decider.evolve, state);
    const result = await this.repository.append(
      decider,
      run.id,
      events,
      version,
      run.context,
      () => after,
    );
    return {
      position: formatPosition(result.position),
      state: after,
      version: result.nextExpectedVersion,
      events,
      context,
    };
  }
}
