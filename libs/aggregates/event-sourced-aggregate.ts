import { AggregateRoot } from '@nestjs/cqrs';

/** An event as the domain sees it: a stable type name and its data, no storage details. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * An aggregate whose state is a fold of its events: `evolve(state, event)` is a pure function,
 * so the same code rebuilds state from history, from a snapshot and in property tests.
 * @nestjs/cqrs routes `apply` by class name; our events are plain objects with stable type
 * names, so every event goes to `evolve` instead.
 */
export abstract class EventSourcedAggregate<
  State,
  Event extends DomainEvent,
> extends AggregateRoot<Event> {
  /** Stream version of the last stored event (-1: no stream yet). */
  version = -1;
  protected state: State;

  constructor(readonly id: string) {
    super();
    this.state = this.initialState();
  }

  protected abstract initialState(): State;
  protected abstract evolve(state: State, event: Event): State;

  get currentState(): State {
    return this.state;
  }

  restore(state: State, version: number): void {
    this.state = state;
    this.version = version;
  }

  /** AggregateRoot calls `on<EventName>`: every event has the same name here, so one method. */
  protected override getEventName(): string {
    return 'DomainEvent';
  }

  protected onDomainEvent(event: Event): void {
    this.state = this.evolve(this.state, event);
  }
}

export interface AggregateType<A extends EventSourcedAggregate<unknown, DomainEvent>> {
  /** Stream category: streams are named `<category>-<id>`. */
  readonly category: string;
  /** Bump when the state's shape changes: older snapshots are then ignored. */
  readonly snapshotVersion: number;
  create(id: string): A;
}
