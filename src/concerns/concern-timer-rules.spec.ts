import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../../config/app.config.js';
import type { AggregateRepository } from '#libs/aggregates/aggregate-repository.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import type { TimerOps, TimerRequest } from '#libs/timers/timer.js';
import { ConcernNotificationRule } from './concern-notifications.rule.js';
import { ConcernRetentionRule, concernRetentionTimerId } from './concern-retention.timer.js';
import { ConcernTriageRule, triageTimerId } from './concern-triage.timer.js';

const ID = '5b0c2f4e-0000-4000-8000-00000000c001';
const AT = '2027-03-01T10:00:00.000Z';
const recorded = (type: string, data: object) =>
  ({ type, data: { concernId: ID, ...data } }) as unknown as RecordedEvent;

/** What a rule did with the timers, in order. */
function recorder() {
  const done: Array<TimerRequest | { cancelled: string }> = [];
  const ops: TimerOps = {
    schedule: async (timer) => void done.push(timer),
    cancel: async (timerId) => void done.push({ cancelled: timerId }),
  };
  return { done, ops };
}

describe('the triage timer rule', () => {
  it('schedules at the triage deadline on arrival and cancels when intake acts or it is destroyed', async () => {
    const { done, ops } = recorder();
    const rule = new ConcernTriageRule();
    await rule.on(recorded('concern.ConcernReceived', { triageDueAt: AT }), ops);
    for (const type of ['ConcernTakenUp', 'ConcernDismissed', 'ConcernDestroyed']) {
      await rule.on(recorded(`concern.${type}`, { at: AT }), ops);
    }
    expect(done).toEqual([
      {
        timerId: triageTimerId(ID),
        kind: 'concern.triage-deadline',
        dueAt: new Date(AT),
        payload: { concernId: ID, dueAt: AT },
      },
      { cancelled: triageTimerId(ID) },
      { cancelled: triageTimerId(ID) },
      { cancelled: triageTimerId(ID) },
    ]);
  });
});

describe('the retention timer rule', () => {
  const rule = new ConcernRetentionRule({ CONCERN_RETENTION_MONTHS: 12 } as AppConfig);

  it('schedules the retention months after a dismissal or a close', async () => {
    for (const type of ['ConcernDismissed', 'ConcernClosed']) {
      const { done, ops } = recorder();
      await rule.on(recorded(`concern.${type}`, { at: AT }), ops);
      expect(done).toEqual([
        {
          timerId: concernRetentionTimerId(ID),
          kind: 'concern.retention',
          dueAt: new Date('2028-03-01T10:00:00.000Z'),
          payload: { concernId: ID },
        },
      ]);
    }
  });

  it('takes the timer away when the concern is reopened or reaches a family', async () => {
    for (const type of ['ConcernReopened', 'ConcernLinked', 'FamilyRegisteredFromConcern']) {
      const { done, ops } = recorder();
      await rule.on(recorded(`concern.${type}`, { at: AT }), ops);
      expect([type, done]).toEqual([type, [{ cancelled: concernRetentionTimerId(ID) }]]);
    }
  });
});

describe('who hears of a concern', () => {
  const repository = {
    loadState: async () => ({ state: { concern: { category: 'debts' } }, version: 0 }),
  } as unknown as AggregateRepository;
  const rule = new ConcernNotificationRule(repository);

  it("tells a linked family's casusregisseur, with the family, and nobody when there is none", async () => {
    const linked = (casusregisseurId: string | null) =>
      recorded('concern.ConcernLinked', { familyId: 'f-1', casusregisseurId, at: AT });
    expect(await rule.notificationsFor(linked('prof-jgz'))).toEqual([
      {
        recipient: 'user:prof-jgz',
        kind: 'concern_linked',
        title: 'Zorgsignaal (debts) gekoppeld aan uw casus op 2027-03-01',
        familyId: 'f-1',
      },
    ]);
    expect(await rule.notificationsFor(linked(null))).toEqual([]);
  });

  it("alerts the concern's team lead when triage is late or outreach is stuck", async () => {
    const overdue = recorded('concern.TriageOverdue', { teamId: 't-1', dueAt: AT, at: AT });
    const stalled = (reason: string) =>
      recorded('concern.OutreachStalled', { teamId: 't-1', reason, at: AT });
    const all = [
      ...(await rule.notificationsFor(overdue)),
      ...(await rule.notificationsFor(stalled('not_reached'))),
      ...(await rule.notificationsFor(stalled('declined_safety'))),
    ];
    expect(all.map((n) => [n.recipient, n.kind])).toEqual([
      ['team-lead:t-1', 'concern_overdue'],
      ['team-lead:t-1', 'concern_outreach_stalled'],
      ['team-lead:t-1', 'concern_outreach_stalled'],
    ]);
    expect(all[0].title).toBe('Zorgsignaal (debts) niet opgepakt binnen de termijn (2027-03-01)');
    expect(all[1].title).not.toBe(all[2].title);
  });
});
