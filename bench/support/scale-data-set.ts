import type { DataSet } from '../generator/generate-data-set.js';
import { benchInfrastructure, generateDataSet } from '../generator/generate-data-set.js';
import type { BenchContext } from './bench-context.js';
import { withAsyncCommit } from './bench-database.js';

export interface ScaleDataSet {
  readonly databaseUrl: string;
  readonly data: DataSet;
}

/**
 * The run's Almere-shaped data set at its scale, generated once into its own database and shared
 * by the suites that read it (B2 rebuilds its read models, B3 serves it), so scale S is
 * generated once per run, not once per suite. Its fill uses asynchronous commit on the
 * generator's own connection; what the suites measure does not.
 */
export function scaleDataSetOnce(
  context: Omit<BenchContext, 'scaleDataSet'>,
): () => Promise<ScaleDataSet> {
  let pending: Promise<ScaleDataSet> | undefined;
  return () =>
    (pending ??= (async () => {
      const databaseUrl = await context.createDatabase('scale');
      const infra = await benchInfrastructure(withAsyncCommit(databaseUrl));
      try {
        const data = await generateDataSet(infra, {
          families: context.scale.families,
          targetEvents: context.scale.events,
          seed: 2,
          log: (m) => context.log(`data set: ${m}`),
        });
        return { databaseUrl, data };
      } finally {
        await infra.close();
      }
    })());
}
