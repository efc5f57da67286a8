import { expect } from '@jest/globals';
import type { TestApp } from './test-app.js';

export interface Notification {
  kind: string;
  title: string;
  escalationId: string | null;
}

/** Reads a person's notification stream as it is now (server-sent events, `once`). */
export async function notificationsOf(
  t: TestApp,
  token: string,
  consistentAfter = '0-0',
): Promise<Notification[]> {
  const response = await t.http
    .get('/api/v1/me/notifications?once=true')
    .auth(token, { type: 'bearer' })
    .set('X-Consistent-After', consistentAfter)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    })
    .expect(200);
  expect(response.headers['content-type']).toMatch(/text\/event-stream/);
  return (response.body as string)
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice('data: '.length)) as Notification)
    .map(({ kind, title, escalationId }) => ({ kind, title, escalationId }));
}

/**
 * Moves the dev clock; the answer comes once every timer that became due has fired, with the
 * position to read after.
 */
/** Moves the dev clock just past `moment` (an ISO deadline); returns the position after. */
export async function advancePast(t: TestApp, moment: string): Promise<string> {
  const now = new Date(Date.parse(moment) + 60_000).toISOString();
  const response = await t.http.post('/api/v1/dev/clock').send({ now }).expect(200);
  return response.body.position as string;
}

export async function advanceDays(t: TestApp, days: number): Promise<string> {
  const response = await t.http.post('/api/v1/dev/clock').send({ advanceDays: days }).expect(200);
  return response.body.position as string;
}
