import { UnknownSchemaVersionError } from './errors.js';

/** Turns the data of `type` at `fromVersion` into its shape at `fromVersion + 1`. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  upcast(data: unknown): unknown;
}

/**
 * Knows the current schema version of each event type and how to bring older stored
 * versions up to it on read. Stored events are never rewritten.
 */
export class EventSchemaRegistry {
  private readonly current = new Map<string, number>();
  private readonly upcasters = new Map<string, Upcaster>();

  register(type: string, currentVersion: number, upcasters: readonly Upcaster[] = []): this {
    this.current.set(type, Math.max(currentVersion, this.current.get(type) ?? 1));
    for (const upcaster of upcasters) {
      this.upcasters.set(`${upcaster.type}@${upcaster.fromVersion}`, upcaster);
    }
    return this;
  }

  /** Schema version written for new events of this type (1 for unregistered types). */
  currentVersion(type: string): number {
    return this.current.get(type) ?? 1;
  }

  upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
    const target = this.currentVersion(type);
    let value = data;
    let at = version;
    while (at < target) {
      const upcaster = this.upcasters.get(`${type}@${at}`);
      if (!upcaster) {
        throw new UnknownSchemaVersionError(`No upcaster for ${type}.v${at} towards v${target}`);
      }
      value = upcaster.upcast(value);
      at += 1;
    }
    return { version: at, data: value };
  }
}
