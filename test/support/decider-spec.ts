import { expect } from '@jest/globals';
import type { DomainEvent } from '#libs/aggregates/event-sourced-aggregate.js';
import type { Decider } from '#libs/deciders/decider.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given / When / Then for a decider, as in Emmett's DeciderSpecification: the history as
 * events, one command with its context, and the events it must decide or the rule it breaks.
 *
 *   spec.given([opened]).when(addGoal, ctx).then([goalAdded]);
 *   spec.given([]).when(addGoal, ctx).thenFails(DomainNotFound, /no active plan/);
 */
export function deciderSpec<State, Command, Event extends DomainEvent, Decided, Context>(
  decider: Decider<State, Command, Event, Decided, Context>,
) {
  return {
    given(history: readonly Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        when(command: Command, context: Context) {
          const decide = () => decider.decide(command, state, context);
          return {
            then(expected: readonly Decided[]) {
              expect(decide()).toEqual(expected);
            },
            /** The events, for a check `then` cannot express (a generated id, say). */
            events(): readonly Decided[] {
              return decide();
            },
            thenFails(error: ErrorClass, message?: RegExp) {
              let thrown: unknown;
              try {
                decide();
              } catch (caught) {
                thrown = caught;
              }
              expect(thrown).toBeInstanceOf(error);
              if (message) expect((thrown as Error).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
