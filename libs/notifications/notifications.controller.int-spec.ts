import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CanActivate, ExecutionContext, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import type { Request } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import type { AuthUser } from '../auth/auth-user.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { ProblemDetailsFilter } from '../http/problem-details.js';
import type { NotificationRule } from './notification.js';
import { NotificationFeed, type NotificationItem } from './notification-feed.js';
import { NotificationProjection } from './notification-projection.js';
import { NotificationsController } from './notifications.controller.js';
import { Notifications1732000004000 } from './notifications.migration.js';

const rule: NotificationRule = {
  eventTypes: ['test.Something'],
  notificationsFor: (event) => [
    { recipient: 'user:u-1', kind: 'signal_raised', title: `Signal ${event.streamId}` },
    { recipient: 'role:brandpuntfunctionaris', kind: 'signal_raised', title: 'Signal' },
  ],
};

const something = (n: number) =>
  ({
    type: 'test.Something',
    streamId: `test-${n}`,
    metadata: { eventId: `event-${n}`, occurredAt: new Date(Date.UTC(2025, 0, n)).toISOString() },
    position: { commit: BigInt(1000 + n), prepare: BigInt(n) },
  }) as unknown as RecordedEvent;

/** Stands in for the global JWT guard of the real app. */
const headerGuard: CanActivate = {
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    req.user = JSON.parse(req.header('x-test-user') ?? 'null') as AuthUser;
    return true;
  },
};

/** Counts open streams, to see that a disconnect really stops polling. */
class CountingFeed extends NotificationFeed {
  open = 0;
  override async *stream(user: AuthUser, after: string | undefined, signal: AbortSignal) {
    this.open += 1;
    try {
      yield* super.stream(user, after, signal) as AsyncGenerator<NotificationItem>;
    } finally {
      this.open -= 1;
    }
  }
}

const u1 = JSON.stringify({ sub: 'u-1', name: 'x', organisation: 'o', roles: [], teams: [] });

describe('GET /api/v1/me/notifications', () => {
  let dataSource: DataSource;
  let feed: CountingFeed;
  let app: INestApplication;
  const projection = new NotificationProjection([rule]);
  const fold = (...events: RecordedEvent[]) =>
    dataSource.transaction(async (manager) => {
      for (const e of events) await projection.apply(e, manager);
    });
  const get = () =>
    request(app.getHttpServer()).get('/api/v1/me/notifications').set('x-test-user', u1);

  beforeAll(async () => {
    dataSource = await openDataSource(await createTestDatabase('notifications_http'), [
      Notifications1732000004000,
    ]);
    feed = new CountingFeed(dataSource, { pollIntervalMs: 20 });
    const moduleRef = await Test.createTestingModule({
      controllers: [NotificationsController],
      providers: [
        { provide: NotificationFeed, useValue: feed },
        { provide: APP_GUARD, useValue: headerGuard },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter(() => undefined));
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE notifications');
  });

  it('Given notifications, When ?once=true, Then it answers them as server-sent events and ends', async () => {
    await fold(something(1), something(2));

    const response = await get().query({ once: 'true' }).expect(200);

    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-accel-buffering']).toBe('no');
    expect(response.text).toBe(
      [1, 2]
        .map((n) => {
          const data = {
            id: `${1000 + n}-${n}-0`,
            kind: 'signal_raised',
            title: `Signal test-${n}`,
            familyId: null,
            escalationId: null,
            at: `2025-01-0${n}T00:00:00.000Z`,
          };
          return `id: ${data.id}\nevent: signal_raised\ndata: ${JSON.stringify(data)}\n\n`;
        })
        .join(''),
    );
  });

  it('Given a Last-Event-ID or ?after, Then it resumes after it; the header wins', async () => {
    await fold(something(1), something(2), something(3));
    const ids = (text: string) => [...text.matchAll(/^id: (.*)$/gm)].map((m) => m[1]);

    const byHeader = await get().query({ once: '1' }).set('Last-Event-ID', '1001-1-0').expect(200);
    expect(ids(byHeader.text)).toEqual(['1002-2-0', '1003-3-0']);
    const byQuery = await get().query({ once: '1', after: '1002-2-0' }).expect(200);
    expect(ids(byQuery.text)).toEqual(['1003-3-0']);
    const both = await get()
      .query({ once: '1', after: '1001-1-0' })
      .set('Last-Event-ID', '1002-2-0')
      .expect(200);
    expect(ids(both.text)).toEqual(['1003-3-0']);
  });

  it('Given a malformed Last-Event-ID, Then it is a 400 problem naming the header', async () => {
    const response = await get().query({ once: 'true' }).set('Last-Event-ID', 'yesterday');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({
      status: 400,
      errors: [{ field: 'Last-Event-ID' }],
    });
    expect((await get().query({ after: '1-2' })).status).toBe(400);
    expect((await get().query({ once: 'maybe' })).status).toBe(400);
  });

  it('Given an open stream, When a notification arrives, Then it is pushed; a disconnect stops it', async () => {
    await fold(something(1));
    const { port } = app.getHttpServer().address() as AddressInfo;
    let text = '';
    const req = httpRequest({
      port,
      host: '127.0.0.1',
      path: '/api/v1/me/notifications',
      headers: { 'x-test-user': u1 },
    });
    const response = await new Promise<IncomingMessage>((resolve) => {
      req.on('response', resolve);
      req.end();
    });
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i += 1) await new Promise((r) => setTimeout(r, 10));
      expect(done()).toBe(true);
    };

    await until(() => text.includes('id: 1001-1-0'));
    await fold(something(2));
    await until(() => text.includes('id: 1002-2-0'));
    expect(feed.open).toBe(1);

    req.destroy();
    await until(() => feed.open === 0);
  });

  it('Then the OpenAPI document describes the stream and its resume points', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const operation = document.paths['/api/v1/me/notifications'].get!;
    const ok = operation.responses['200'] as { content?: object };
    expect(Object.keys(ok.content ?? {})).toEqual(['text/event-stream']);
    expect(operation.parameters?.map((p) => ('name' in p ? p.name : p.$ref)).sort()).toEqual([
      'Last-Event-ID',
      'after',
      'once',
    ]);
  });
});
