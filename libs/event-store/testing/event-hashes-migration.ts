import { INFRASTRUCTURE_MIGRATIONS } from '../../database/data-source.js';
import { EventHashes1732000000003 } from '../../database/migrations/1732000000003-event-hashes.migration.js';

type MigrationClass = (typeof INFRASTRUCTURE_MIGRATIONS)[number];

/**
 * Extra migrations for a test database of the event store: the hash chain, until it is listed
 * in INFRASTRUCTURE_MIGRATIONS (listing it twice would make TypeORM refuse both).
 */
export function withEventHashes(migrations: MigrationClass[] = []): MigrationClass[] {
  return INFRASTRUCTURE_MIGRATIONS.includes(EventHashes1732000000003)
    ? migrations
    : [...migrations, EventHashes1732000000003];
}
