import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../test/support/test-database.js';
import type { AuthUser, Role } from '../auth/auth-user.js';
import { openDataSource } from '../database/data-source.js';
import type { RecordedEvent } from '../event-store/event-envelope.js';
import { recipientsOf, type NotificationRule } from './notification.js';
import { NotificationFeed, parseNotificationId } from './notification-feed.js';
import { NotificationProjection } from './notification-projection.js';
import { Notifications1732000004000 } from './notifications.migration.js';

/** Tells u-1 and every brandpuntfunctionaris of a signal, and the event's team lead. */
const rule: NotificationRule = {
  eventTypes: ['test.Something'],
  notificationsFor(event) {
    const { familyId, team } = event.data as { familyId: string; team: string };
    return [
      { recipient: 'user:u-1', kind: 'signal_raised', title: 'Signal', familyId },
      { recipient: 'role:brandpuntfunctionaris', kind: 'signal_raised', title: 'Signal', familyId },
      { recipient: `team-lead:${team}`, kind: 'escalation_reached', title: 'Escalation' },
    ];
  },
};

function somethingHappened(n: number, team = 'team-a'): RecordedEvent {
  return {
    type: 'test.Something',
    schemaVersion: 1,
    data: { familyId: `family-${n}`, team },
    metadata: {
      eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      correlationId: 'c',
      actor: { userId: 'someone' },
      occurredAt: new Date(Date.UTC(2025, 0, n)).toISOString(),
      municipality: 'Haven',
    },
    streamId: `test-${n}`,
    streamVersion: 0,
    position: { commit: BigInt(1000 + n), prepare: BigInt(n) },
    recordedAt: new Date().toISOString(),
  };
}

const userWith = (sub: string, roles: Role[], teams: string[] = []): AuthUser => ({
  sub,
  name: 'Name Not Stored',
  organisation: 'SLT Haven',
  roles,
  teams,
});

describe('notification outbox and feed', () => {
  let dataSource: DataSource;
  let feed: NotificationFeed;
  const projection = new NotificationProjection([rule]);
  const fold = (...events: RecordedEvent[]) =>
    dataSource.transaction(async (manager) => {
      for (const e of events) await projection.apply(e, manager);
    });

  const u1 = userWith('u-1', ['professional']);
  const bpf = userWith('u-2', ['brandpuntfunctionaris']);
  const both = userWith('u-1', ['brandpuntfunctionaris']);
  const leadA = userWith('u-3', ['team_lead'], ['team-a']);
  const leadB = userWith('u-4', ['team_lead'], ['team-b']);
  const memberA = userWith('u-5', ['professional'], ['team-a']);

  beforeAll(async () => {
    dataSource = await openDataSource(await createTestDatabase('notifications'), [
      Notifications1732000004000,
    ]);
    feed = new NotificationFeed(dataSource, { pollIntervalMs: 20 });
  });
  afterAll(async () => dataSource?.destroy());
  beforeEach(async () => {
    await dataSource.query('TRUNCATE notifications');
  });

  it('Given a user, Then recipientsOf lists their sub, roles, own teams as lead and organisation', () => {
    expect(recipientsOf(userWith('x', ['team_lead', 'professional'], ['t1', 't2']))).toEqual([
      'user:x',
      'role:team_lead',
      'role:professional',
      'team-lead:t1',
      'team-lead:t2',
      'org:SLT Haven',
    ]);
    expect(recipientsOf(memberA)).not.toContain('team-lead:team-a');
  });

  it('Given ids, Then only well-formed ones parse', () => {
    expect(parseNotificationId('1001-1-2')).toEqual({ commit: 1001n, prepare: 1n, idx: 2 });
    for (const bad of ['', 'x', '1-2', '1-2-3-4', '-1-1-1', '1-2-x', '99999999999999999999-1-0']) {
      expect(parseNotificationId(bad)).toBeUndefined();
    }
    expect(parseNotificationId('9223372036854775808-1-0')).toBeUndefined();
  });

  it('Given events, When folded, Then each user gets exactly what is addressed to them, in order', async () => {
    await fold(somethingHappened(1), somethingHappened(2, 'team-b'), somethingHappened(3));

    const u1Items = await feed.since(u1, undefined);
    expect(u1Items.map((i) => i.id)).toEqual(['1001-1-0', '1002-2-0', '1003-3-0']);
    expect(u1Items[0]).toEqual({
      id: '1001-1-0',
      kind: 'signal_raised',
      title: 'Signal',
      familyId: 'family-1',
      escalationId: null,
      at: '2025-01-01T00:00:00.000Z',
    });
    expect((await feed.since(bpf, undefined)).map((i) => i.id)).toEqual([
      '1001-1-1',
      '1002-2-1',
      '1003-3-1',
    ]);
    expect((await feed.since(both, undefined)).map((i) => i.id)).toEqual([
      '1001-1-0',
      '1002-2-0',
      '1003-3-0',
    ]);
    const leadAItems = await feed.since(leadA, undefined);
    expect(leadAItems.map((i) => [i.id, i.kind])).toEqual([
      ['1001-1-2', 'escalation_reached'],
      ['1003-3-2', 'escalation_reached'],
    ]);
    expect((await feed.since(leadB, undefined)).map((i) => i.id)).toEqual(['1002-2-2']);
    expect(await feed.since(memberA, undefined)).toEqual([]);
  });

  it('Given a resume id, Then only later notifications come back, never a duplicate', async () => {
    await fold(somethingHappened(1), somethingHappened(2), somethingHappened(3));

    expect((await feed.since(u1, '1001-1-0')).map((i) => i.id)).toEqual(['1002-2-0', '1003-3-0']);
    expect((await feed.since(u1, '1003-3-0')).map((i) => i.id)).toEqual([]);
    expect((await feed.since(u1, undefined, 2)).map((i) => i.id)).toEqual(['1001-1-0', '1002-2-0']);
    // Resuming inside event 1 must not hand out its second copy (role:) to the same user.
    expect((await feed.since(both, '1001-1-0')).map((i) => i.id)).toEqual(['1002-2-0', '1003-3-0']);
    await expect(feed.since(u1, 'nonsense')).rejects.toThrow(RangeError);
  });

  it('Given a retried batch, When the same event is applied twice, Then nothing is duplicated', async () => {
    await fold(somethingHappened(1));
    await fold(somethingHappened(1), somethingHappened(2));

    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM notifications');
    expect(count).toBe(6);
    expect((await feed.since(u1, undefined)).map((i) => i.id)).toEqual(['1001-1-0', '1002-2-0']);
  });

  it('Given a rule that names no valid recipient, Then the projection fails loudly', async () => {
    const broken = new NotificationProjection([
      {
        eventTypes: ['test.Something'],
        notificationsFor: () => [{ recipient: 'u-1', kind: 'x', title: 't' }],
      },
    ]);
    await expect(
      dataSource.transaction((manager) => broken.apply(somethingHappened(1), manager)),
    ).rejects.toThrow('Invalid recipient');
  });

  it('Given a running stream, When a notification is added, Then it is yielded; abort ends it', async () => {
    await fold(somethingHappened(1));
    const abort = new AbortController();
    const iterator = feed.stream(u1, undefined, abort.signal)[Symbol.asyncIterator]();

    expect((await iterator.next()).value).toMatchObject({ id: '1001-1-0' });
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 60));
    await fold(somethingHappened(2));
    expect((await next).value).toMatchObject({ id: '1002-2-0', familyId: 'family-2' });

    const pending = iterator.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
