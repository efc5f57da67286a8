/**
 * A consumer may read another capability's events through a view of its own (the fields it
 * uses), so that it need not import the producer. The producer then names the view beside its
 * events as `ReadableAs<its events of the view's types, the view>`: the alias compiles only
 * while every such event still reads as the view, so a breaking change fails at the producer.
 */
export type ReadableAs<Events extends View, View> = Events;

/** The producer's events of the view's types. */
export type EventsOf<Events extends { type: string }, View extends { type: string }> = Extract<
  Events,
  { type: View['type'] }
>;
