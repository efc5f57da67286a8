import { describe, expect, it } from '@jest/globals';
import { LogLines } from '../../test/support/log-lines.js';
import { DatabaseOutage } from './database-outage.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';

const unreachable = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const lockTimeout = Object.assign(new Error('canceling statement due to lock timeout'), {
  code: '55P03',
});

async function until(condition: () => boolean) {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

async function value(metrics: Metrics, name: string, labels: Record<string, string> = {}) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const match = metric?.values.find((v) =>
    Object.entries(labels).every(([key, label]) => v.labels[key] === label),
  );
  return match?.value;
}

function outageWith(probe: () => Promise<unknown>) {
  const logs = new LogLines();
  const metrics = new Metrics();
  const outage = new DatabaseOutage({
    logger: createLogger({ level: 'info', destination: logs }),
    metrics,
    probe,
    probeIntervalMs: 5,
  });
  return { logs, metrics, outage };
}

describe('DatabaseOutage', () => {
  it('logs one warning per outage and one line when it ends, and counts every refusal', async () => {
    let up = false;
    const { logs, metrics, outage } = outageWith(async () => {
      if (!up) throw unreachable;
    });
    try {
      for (let i = 0; i < 5; i += 1) outage.refused(unreachable, '/api/v1/families');
      expect(logs.at('warn')).toHaveLength(1);
      expect(logs.at('warn')[0]).toMatchObject({
        cause: 'unreachable',
        reason: 'connect ECONNREFUSED',
        url: '/api/v1/families',
      });
      expect(logs.lines.filter((l) => l.err !== undefined)).toEqual([]);
      expect(await value(metrics, 'database_reachable')).toBe(0);
      expect(
        await value(metrics, 'http_database_unavailable_responses_total', { cause: 'unreachable' }),
      ).toBe(5);

      await new Promise((r) => setTimeout(r, 30));
      expect(outage.ongoing).toBe(true);
      up = true;
      await until(() => !outage.ongoing);
      expect(logs.at('info')).toEqual([
        expect.objectContaining({ msg: 'database available again after an outage', refused: 5 }),
      ]);
      expect(await value(metrics, 'database_reachable')).toBe(1);

      outage.refused(lockTimeout, '/api/v1/families/x/members');
      expect(logs.at('warn')).toHaveLength(2);
      expect(
        await value(metrics, 'http_database_unavailable_responses_total', { cause: 'timeout' }),
      ).toBe(1);
    } finally {
      outage.close();
    }
  });
});
