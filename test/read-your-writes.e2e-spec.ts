import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { keepAliveClient, listen, type KeepAliveClient } from './support/keep-alive-client.js';
import { createTestDatabase } from './support/test-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TEAM = randomUUID();
const ROUNDS = 30;

const family = (n: number) => ({
  teamId: TEAM,
  members: [
    { givenName: `Paulien${n}`, familyName: 'Jansen', dateOfBirth: '2002-03-14', role: 'parent' },
  ],
});

/**
 * A caller reads its own writes without sending X-Consistent-After: straight after its 201,
 * over one kept-alive connection, on the instance that took the write and on another one of
 * the same database.
 */
describe('reading your own writes without a header', () => {
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;
  let client: KeepAliveClient;

  beforeAll(async () => {
    const env = {
      DATABASE_URL: await createTestDatabase('ryw'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'egep-ryw-')),
    };
    a = await startTestApp(env);
    b = await startTestApp(env);
    [urlA, urlB] = [await listen(a.app), await listen(b.app)];
    client = keepAliveClient(await a.token({ sub: 'prof-ryw', teams: [TEAM] }));
  });
  afterAll(async () => {
    client?.close();
    await a?.close();
    await b?.close();
  });

  it('finds every family and plan it just created, on either instance', async () => {
    const misses: string[] = [];
    for (let n = 0; n < ROUNDS; n += 1) {
      const created = await client.send('POST', `${urlA}/api/v1/families`, family(n));
      expect(created.status).toBe(201);
      const path = `/api/v1/families/${created.body.familyId as string}`;
      for (const [name, url] of [
        ['B', urlB],
        ['A', urlA],
      ]) {
        const read = await client.send('GET', `${url}${path}`);
        if (read.status !== 200) misses.push(`family ${n} on ${name}: ${read.status}`);
      }
      expect((await client.send('POST', `${urlB}${path}/plan`, {})).status).toBe(201);
      const plan = await client.send('GET', `${urlA}${path}/plan`);
      if (plan.status !== 200) misses.push(`plan ${n} on A: ${plan.status}`);
      const goal = await client.send('POST', `${urlA}${path}/plan/goals`, {
        familyWording: `Doel ${n}`,
        concerns: created.body.memberIds,
        lifeDomain: 'housing',
      });
      expect(goal.status).toBe(201);
      const withGoal = await client.send('GET', `${urlB}${path}/plan`);
      const goals = (withGoal.body.goals ?? []) as Array<{ goalId: string }>;
      if (!goals.some((g) => g.goalId === goal.body.goalId)) misses.push(`goal ${n} on B`);
    }
    expect(misses).toEqual([]);
  });
});
