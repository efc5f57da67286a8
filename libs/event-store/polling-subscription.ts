import type { EventStore, SubscribeOptions, Subscription } from './event-store.port.js';
import type { Position } from './position.js';
import { Wakeup } from './wakeup.js';

/**
 * Catch-up-then-live subscription on top of readAll: reads batches after its checkpoint, hands
 * each to the consumer, and when caught up sleeps until the store hints at new events (or a
 * short poll interval passes, which covers hints lost with a dropped connection).
 */
export function pollingSubscription(
  store: Pick<EventStore, 'readAll' | 'onAppended'>,
  options: SubscribeOptions,
  pollIntervalMs = 250,
): Subscription {
  const abort = new AbortController();
  const wakeup = new Wakeup();
  const unsubscribe = store.onAppended(() => wakeup.notify());
  const batchSize = options.batchSize ?? 500;
  let checkpoint: Position | undefined = options.after;

  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        const events = await store.readAll({ after: checkpoint, maxCount: batchSize });
        if (abort.signal.aborted) break;
        if (events.length === 0) {
          await wakeup.wait(pollIntervalMs, abort.signal);
          continue;
        }
        await options.onEvents(events);
        checkpoint = events[events.length - 1].position;
      } catch (error) {
        if (abort.signal.aborted) break;
        options.onError?.(error);
        await wakeup.wait(pollIntervalMs * 4, abort.signal);
      }
    }
  };
  const running = loop();

  return {
    async close() {
      abort.abort();
      unsubscribe();
      await running;
    },
  };
}
