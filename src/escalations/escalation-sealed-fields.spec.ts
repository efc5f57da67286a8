import { describe, expect, it } from '@jest/globals';
import { replaceAt } from '#libs/personal-data/sealed-fields.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import { sealEscalationEvent } from './escalation-command.service.js';
import { sealedFieldsOf, type DecidedEscalationEvent } from './escalation.events.js';
import {
  acknowledged,
  decided,
  escalated,
  ID,
  L1,
  raised,
  resolvedAt,
  T1,
  withdrawnAt,
} from './escalation.fixtures.js';

const MARK = 'pd1:f-1:sealed' as Sealed;

const automatic: DecidedEscalationEvent = {
  type: 'escalation.Escalated',
  data: {
    escalationId: ID,
    fromLevel: 0,
    toLevel: 1,
    reason: 'Not acknowledged by the deadline of level 0',
    automatic: true,
    holder: null,
    deadlines: L1,
    escalatedAt: T1,
  },
};
const reopened: DecidedEscalationEvent = {
  type: 'escalation.Reopened',
  data: {
    escalationId: ID,
    reason: 'De stagnatie is terug',
    level: 1,
    deadlines: L1,
    reopenedAt: T1,
  },
};

describe('ESCALATION_SEALED_FIELDS', () => {
  it.each<[string, DecidedEscalationEvent]>([
    ['a signal', raised],
    ['a step by hand', escalated(0, 1, T1, L1)],
    ['an automatic step', automatic],
    ['a decision', decided],
    ['an outcome', resolvedAt(T1)],
    ['a withdrawal', withdrawnAt(T1)],
    ['a reopening', reopened],
    ['an acknowledgement', acknowledged(T1)],
  ])('names exactly the fields sealEscalationEvent seals, for %s', async (_, event) => {
    const stored = await sealEscalationEvent(event, async () => MARK);

    expect(stored.data).toEqual(
      replaceAt(event.data, sealedFieldsOf(event.type, event.data), MARK),
    );
  });

  it('leaves the reason of an automatic step out, and knows no fields of an unknown type', () => {
    expect(sealedFieldsOf('escalation.Escalated', { automatic: false })).toEqual(['reason']);
    expect(sealedFieldsOf('escalation.Escalated', { automatic: true })).toEqual([]);
    expect(sealedFieldsOf('escalation.Renamed', {})).toEqual([]);
  });
});
