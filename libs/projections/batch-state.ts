import type { EntityManager } from 'typeorm';

/**
 * What a projection folds during one batch and writes in `flush`, keyed by the batch's
 * transaction manager: a rolled-back batch leaves nothing behind, and batches of two
 * transactions never mix.
 */
export class BatchState<B> {
  private readonly batches = new WeakMap<EntityManager, B>();

  constructor(private readonly create: () => B) {}

  of(manager: EntityManager): B {
    let batch = this.batches.get(manager);
    if (!batch) {
      batch = this.create();
      this.batches.set(manager, batch);
    }
    return batch;
  }

  /** The batch's state, forgotten here: for `flush`, which writes it once. */
  take(manager: EntityManager): B | undefined {
    const batch = this.batches.get(manager);
    this.batches.delete(manager);
    return batch;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `prepare` can load this id with a uuid[] parameter. One that is not is left to
 * `apply`, which fails on its own event: a failed statement in `prepare` would abort the
 * transaction and blame the batch's first event.
 */
export const isUuid = (id: string | undefined): id is string => id !== undefined && UUID.test(id);
