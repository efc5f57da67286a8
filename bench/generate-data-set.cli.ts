import { parseArgs } from 'node:util';
import { createDatabaseIfMissing } from '#libs/database/embedded-postgres.js';
import { benchInfrastructure, generateDataSet } from './generator/generate-data-set.js';
import { withAsyncCommit } from './support/bench-database.js';
import { EVENTS_PER_FAMILY } from './support/bench-database.js';

const USAGE = `node dist/bench/generate-data-set.cli.js --admin-url URL --database NAME --families N
  Fills a database with the bench's Almere-shaped data set (seed 2, ${EVENTS_PER_FAMILY} events a
  family), to profile a rebuild or a query on data of a chosen size outside a bench run.
  The database gets MASTER_KEY=BENCH_MASTER_KEY (bench/generator/bench-infrastructure.ts).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'admin-url': { type: 'string' },
      database: { type: 'string' },
      families: { type: 'string', default: '800' },
    },
  });
  const adminUrl = values['admin-url'];
  const database = values.database;
  const families = Number(values.families);
  if (!adminUrl || !database || !Number.isInteger(families) || families < 1) {
    console.error(USAGE);
    process.exit(2);
  }
  await createDatabaseIfMissing(adminUrl, database);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const infra = await benchInfrastructure(withAsyncCommit(url.toString()));
  try {
    const data = await generateDataSet(infra, {
      families,
      targetEvents: families * EVENTS_PER_FAMILY,
      seed: 2,
      log: (m) => console.error(m),
    });
    console.log(
      `${data.events} events, ${data.families.length} families in ${data.seconds.toFixed(1)} s`,
    );
  } finally {
    await infra.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
