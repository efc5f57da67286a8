import { describe, expect, it } from '@jest/globals';
import { accessPointFrom } from './access-point.decorator.js';

describe('accessPointFrom', () => {
  it('reads ip, user agent, client id and the request id', () => {
    expect(
      accessPointFrom({
        ip: '10.0.0.7',
        headers: { 'user-agent': 'Mozilla/5.0', 'x-client-id': 'web-app:1.2' },
        id: 'req-9',
      }),
    ).toEqual({
      ip: '10.0.0.7',
      userAgent: 'Mozilla/5.0',
      client: 'web-app:1.2',
      correlationId: 'req-9',
    });
  });

  it('falls back, bounds and refuses what it cannot trust', () => {
    const point = accessPointFrom({
      socket: { remoteAddress: '::1' },
      headers: { 'user-agent': 'x'.repeat(1000), 'x-client-id': 'evil client<script>' },
      id: 42,
    });
    expect(point).toMatchObject({ ip: '::1', client: 'unknown' });
    expect(point.userAgent).toHaveLength(300);
    expect(point.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(accessPointFrom({ headers: {} })).toMatchObject({
      ip: 'unknown',
      userAgent: 'unknown',
      client: 'unknown',
    });
  });
});
