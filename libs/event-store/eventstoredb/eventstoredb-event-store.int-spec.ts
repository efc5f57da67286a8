import { describeEventStoreContract } from '../testing/event-store.contract.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

const url = process.env.EVENTSTOREDB_URL;

if (!url) {
  // Visible in every test run, so nobody mistakes the skip for a pass. Straight to stderr: Jest
  // swallows the console of a file whose tests are all skipped.
  process.stderr.write(
    'EventStoreDB contract suite SKIPPED: set EVENTSTOREDB_URL (e.g. esdb://localhost:2113?tls=false) to run it\n',
  );
}

describeEventStoreContract(
  url ? 'eventstoredb' : 'eventstoredb (skipped: EVENTSTOREDB_URL is not set)',
  url
    ? async (schemas, clock) => {
        const store = new EventStoreDbEventStore({
          connectionString: url,
          schemas,
          clock,
          pollIntervalMs: 100,
        });
        return { store, dispose: () => store.close() };
      }
    : undefined,
);
