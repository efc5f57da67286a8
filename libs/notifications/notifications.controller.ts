import { once } from 'node:events';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/jwt-auth.guard.js';
import { ApiView } from '../http/openapi/api-operation.decorators.js';
import { validationProblem } from '../http/problem-details.js';
import {
  NotificationFeed,
  parseNotificationId,
  type NotificationItem,
} from './notification-feed.js';

const KEEP_ALIVE_MS = 15_000;
const PAGE = 100;
const ID_FORMAT = 'must be the id of a notification, <commit>-<prepare>-<index>';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/me')
export class NotificationsController {
  constructor(@Inject(NotificationFeed) private readonly feed: NotificationFeed) {}

  @Get('notifications')
  @ApiView({
    operationId: 'streamNotifications',
    consistentAfter: false,
    summary: "The caller's notifications as server-sent events",
    description:
      'Resume with `Last-Event-ID` (or `?after=`); `?once=true` sends what there is and ends. Nothing is lost across a restart: the stream comes from an outbox.',
    response: {
      mediaType: 'text/event-stream',
      schema: { type: 'string' },
      description:
        'Server-sent events, one per notification: `id` (resume point), `event` (the kind) and ' +
        '`data` (JSON: id, kind, title, familyId, escalationId, at). A comment every 15 s keeps ' +
        'proxies from closing the connection.',
      example:
        'id: 812-3-0\nevent: signal_raised\ndata: {"id":"812-3-0","kind":"signal_raised","title":"Nieuw signaal","familyId":"3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10","escalationId":"0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e","at":"2027-01-15T09:00:00.000Z"}\n\n',
    },
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this notification (EventSource sends it when reconnecting)',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'Resume after this notification, for clients that cannot set headers',
  })
  @ApiQuery({
    name: 'once',
    required: false,
    enum: ['true', '1', 'false', '0'],
    description: 'Send what is there now and end the response (for polling clients)',
  })
  async notifications(
    @CurrentUser() user: AuthUser,
    @Req() request: Request,
    @Res() response: Response,
    @Query('after') after?: unknown,
    @Query('once') onceParam?: unknown,
  ): Promise<void> {
    // Validate everything before the first byte: after that no problem document can be sent.
    const lastEventId = resumePoint(request.header('last-event-id'), after);
    const onlyNow = flag(onceParam);

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();

    const abort = new AbortController();
    const stop = () => abort.abort();
    request.on('close', stop);
    response.on('close', stop);
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    try {
      const items = onlyNow
        ? this.current(user, lastEventId)
        : this.feed.stream(user, lastEventId, abort.signal);
      for await (const item of items) await send(response, item, abort.signal);
    } catch (error) {
      // Headers are out, so the filter can only log; the client reconnects with its last id.
      if (!abort.signal.aborted) throw error;
    } finally {
      clearInterval(keepAlive);
      abort.abort();
      response.end();
    }
  }

  private async *current(user: AuthUser, after: string | undefined) {
    for (;;) {
      const page = await this.feed.since(user, after, PAGE);
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1].id;
    }
  }
}

/** The header wins: EventSource reconnects to the original URL but sends its latest id. */
function resumePoint(header: string | undefined, query: unknown): string | undefined {
  if (header !== undefined && header.trim() !== '') {
    if (!parseNotificationId(header)) {
      throw validationProblem([{ field: 'Last-Event-ID', messages: [ID_FORMAT] }]);
    }
    return header.trim();
  }
  if (query === undefined) return undefined;
  if (typeof query !== 'string' || !parseNotificationId(query)) {
    throw validationProblem([{ field: 'after', messages: [`${ID_FORMAT} (as Last-Event-ID)`] }]);
  }
  return query.trim();
}

function flag(value: unknown): boolean {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw validationProblem([{ field: 'once', messages: ['must be true, false, 1 or 0'] }]);
}

async function send(response: Response, item: NotificationItem, signal: AbortSignal) {
  const written = response.write(
    `id: ${item.id}\nevent: ${item.kind}\ndata: ${JSON.stringify(item)}\n\n`,
  );
  // A slow client must not make us buffer its whole backlog in memory.
  if (!written) await once(response, 'drain', { signal }).catch(() => undefined);
}
