import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { benchInfrastructure } from '../bench/generator/bench-infrastructure.js';
import { generateDataSet } from '../bench/generator/generate-data-set.js';
import { AppModule } from '../src/app.module.js';
import type { Infrastructure } from '../src/core/infrastructure.js';
import { createTestDatabase } from './support/test-database.js';

/**
 * Projections fold a batch in memory and write it in `flush`, so a read model must not depend
 * on where batches begin and end. Every projection of the server follows a generated city
 * history in batches of 3 events (as live, one command at a time), and is then rebuilt in one
 * pass of pages of 1,000: each must end with the same checksum.
 */
describe('every projection gives the same read model whatever its batches', () => {
  let infra: Infrastructure;
  let app: INestApplicationContext;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    infra = await benchInfrastructure(await createTestDatabase('batches'), {
      PROJECTIONS_ENABLED: false,
      TIMER_INTERVAL_MS: 0,
      PROJECTION_BATCH_SIZE: 3,
      PROJECTION_REBUILD_PAGE: 1_000,
    });
    await generateDataSet(infra, { families: 16, targetEvents: 1_500, seed: 21 });
    app = await NestFactory.createApplicationContext(AppModule.forRoot(infra), {
      logger: ['error'],
    });
    runner = app.get(ProjectionRunner);
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await infra?.close();
  });

  it('follows in small batches and rebuilds in one pass of large pages to the same checksums', async () => {
    const live: Record<string, string> = {};
    for (const name of runner.names) {
      await runner.catchUp(name);
      live[name] = await runner.checksum(name);
    }
    const [rows]: Array<{ n: number }> = await infra.dataSource.query(
      'SELECT count(*)::int AS n FROM events',
    );
    expect(rows.n).toBeGreaterThan(1_200);

    const rebuilt = await runner.rebuildAll();

    expect(rebuilt.failed).toEqual({});
    expect(rebuilt.checksums).toEqual(live);
  }, 300_000);
});
