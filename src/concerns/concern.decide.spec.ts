import { describe, expect, it } from '@jest/globals';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import { DUTCH_HOLIDAYS } from '#libs/working-days/dutch-holidays.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import { deciderSpec } from '../../test/support/decider-spec.js';
import {
  concernDecider,
  retentionEnd,
  type ConcernCommand,
  type ConcernDecisionContext,
} from './concern.decide.js';
import type { ConcernEvent } from './concern.events.js';
import { DEFAULT_CONCERN_DEADLINES } from '../../config/municipalities.js';

const calendar = new WorkingDayCalendar({ holidays: [...DUTCH_HOLIDAYS], extraHolidays: [] });
// Monday 7 December 2026.
const at = (now: string): ConcernDecisionContext => ({
  now,
  calendar,
  deadlines: DEFAULT_CONCERN_DEADLINES,
  retentionMonths: 12,
});
const MONDAY = at('2026-12-07T09:00:00.000Z');
const school = { professionalId: 'p-school', name: 'Mw. De Vries', organisation: 'De Regenboog' };
const intake = { professionalId: 'p-slt', name: 'Sanne', organisation: 'SLT Haven' };
const subject = { bsn: '111222333', postcode: '1354AB', houseNumber: '12' };
const file: ConcernCommand = {
  type: 'FileConcern',
  concernId: 'c-1',
  teamId: 'team-haven',
  reporter: school,
  subject,
  category: 'school_absence',
  urgency: 'normal',
  description: 'Daan is sinds oktober vaak afwezig',
};
const spec = deciderSpec(concernDecider);
/** The history as stored: in these specs sealed texts are stand-ins, the decider never opens them. */
const stored = (...events: Array<ConcernEvent | ConcernEvent<'open'>>) =>
  events as unknown as ConcernEvent[];
const decided = (command: ConcernCommand, history: ConcernEvent[], context = MONDAY) =>
  spec.given(history).when(command, context).events();
const received = decided(file, []);
const takenUp = decided({ type: 'TakeUp', by: intake }, stored(...received));
const inTriage = stored(...received, ...takenUp);

describe('filing a concern', () => {
  it('records it with the triage deadline of its urgency in working days', () => {
    spec
      .given([])
      .when(file, MONDAY)
      .then([
        {
          type: 'concern.ConcernReceived',
          data: {
            concernId: 'c-1',
            teamId: 'team-haven',
            reporter: school,
            subject,
            category: 'school_absence',
            urgency: 'normal',
            description: 'Daan is sinds oktober vaak afwezig',
            receivedAt: '2026-12-07T09:00:00.000Z',
            // 5 working days after Monday: the end of the next Monday.
            triageDueAt: '2026-12-15T00:00:00.000Z',
          },
        },
      ]);
    const safety = decided({ ...file, urgency: 'safety' }, [])[0];
    expect(safety.type === 'concern.ConcernReceived' && safety.data.triageDueAt).toBe(
      '2026-12-09T00:00:00.000Z',
    );
    // Filed on a Friday, an urgent concern is due at the end of Tuesday.
    const urgent = decided({ ...file, urgency: 'urgent' }, [], at('2026-12-11T16:00:00.000Z'))[0];
    expect(urgent.type === 'concern.ConcernReceived' && urgent.data.triageDueAt).toBe(
      '2026-12-16T00:00:00.000Z',
    );
  });

  it('needs a BSN or a family name with a date of birth, and a description', () => {
    const noIdentity = { postcode: '1354AB', houseNumber: '12', familyName: 'Jansen' };
    spec
      .given([])
      .when({ ...file, subject: noIdentity }, MONDAY)
      .thenFails(DomainRuleViolation, /BSN, or a family name with a date of birth/);
    expect(
      decided({ ...file, subject: { ...noIdentity, dateOfBirth: '2012-01-02' } }, []),
    ).toHaveLength(1);
    spec
      .given([])
      .when({ ...file, description: '  ' }, MONDAY)
      .thenFails(DomainRuleViolation, /needs a description/);
  });

  it('is filed once per id', () => {
    spec
      .given(stored(...received))
      .when(file, MONDAY)
      .thenFails(DomainConflict, /already filed/);
  });
});

describe('intake', () => {
  it('takes a concern up once; the one who does becomes its contact', () => {
    expect(takenUp).toEqual([
      { type: 'concern.ConcernTakenUp', data: { concernId: 'c-1', by: intake, at: MONDAY.now } },
    ]);
    const after = inTriage.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(after.concern).toMatchObject({ status: 'in_triage', contact: intake });
    spec
      .given(inTriage)
      .when({ type: 'TakeUp', by: intake }, MONDAY)
      .thenFails(DomainConflict, /Sanne already took this concern up/);
  });

  it('links or registers only what it took up', () => {
    const link: ConcernCommand = {
      type: 'Link',
      familyId: 'f-1',
      memberId: 'm-2',
      by: intake,
    };
    spec
      .given(stored(...received))
      .when(link, MONDAY)
      .thenFails(DomainConflict, /take it up first/);
    spec
      .given(inTriage)
      .when(link, { ...MONDAY, casusregisseurId: 'p-regie' })
      .then([
        {
          type: 'concern.ConcernLinked',
          data: {
            concernId: 'c-1',
            familyId: 'f-1',
            memberId: 'm-2',
            casusregisseurId: 'p-regie',
            by: intake,
            at: MONDAY.now,
          },
        },
      ]);
    const registration: ConcernCommand = {
      type: 'RecordRegistration',
      familyId: 'f-2',
      memberIds: ['m-9'],
      by: intake,
    };
    const registered = stored(...inTriage, ...decided(registration, inTriage));
    const state = registered.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(state.concern).toMatchObject({ status: 'registered', familyId: 'f-2', memberId: 'm-9' });
    spec
      .given(registered)
      .when(link, MONDAY)
      .thenFails(DomainConflict, /registered cannot be linked/);
  });

  it('remembers a rejected match, once per family', () => {
    const reject: ConcernCommand = { type: 'RejectMatch', familyId: 'f-1', by: intake };
    const rejected = stored(...inTriage, ...decided(reject, inTriage));
    const state = rejected.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(state.concern?.rejectedFamilies).toEqual(['f-1']);
    spec
      .given(rejected)
      .when(reject, MONDAY)
      .thenFails(DomainConflict, /already rejected/);
  });

  it('dismisses with a reason and reopens once within 30 days', () => {
    const dismiss: ConcernCommand = { type: 'Dismiss', reason: 'Al geholpen', by: intake };
    spec
      .given(inTriage)
      .when({ ...dismiss, reason: ' ' }, MONDAY)
      .thenFails(DomainRuleViolation, /reason is required/);
    const dismissed = stored(...inTriage, ...decided(dismiss, inTriage));
    const reopen: ConcernCommand = { type: 'Reopen', reason: 'Nieuwe melding', by: intake };
    spec
      .given(dismissed)
      .when(reopen, at('2027-01-07T09:00:01.000Z'))
      .thenFails(DomainRuleViolation, /within 30 days/);
    const reopened = stored(
      ...dismissed,
      ...decided(reopen, dismissed, at('2027-01-06T09:00:00.000Z')),
    );
    const state = reopened.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(state.concern).toMatchObject({ status: 'in_triage', closedAt: null, reopened: true });
    const again = stored(...reopened, ...decided(dismiss, reopened));
    spec
      .given(again)
      .when(reopen, MONDAY)
      .thenFails(DomainConflict, /only once/);
  });

  it('lifts the restriction of a safety concern once, and of no other category', () => {
    const lift: ConcernCommand = { type: 'LiftSafetyRestriction', by: intake };
    spec
      .given(inTriage)
      .when(lift, MONDAY)
      .thenFails(DomainRuleViolation, /category safety/);
    const safety = stored(...decided({ ...file, category: 'safety', urgency: 'safety' }, []));
    const before = safety.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(before.concern?.safetyRestrictionLifted).toBeFalsy();
    spec
      .given(safety)
      .when(lift, MONDAY)
      .then([
        {
          type: 'concern.SafetyRestrictionLifted',
          data: { concernId: 'c-1', by: intake, at: MONDAY.now },
        },
      ]);
    const lifted = stored(...safety, ...decided(lift, safety));
    const after = lifted.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(after.concern).toMatchObject({ status: 'received', safetyRestrictionLifted: true });
    spec
      .given(lifted)
      .when(lift, MONDAY)
      .thenFails(DomainConflict, /already lifted/);
  });

  it('knows no concern that was never filed or was destroyed', () => {
    spec.given([]).when({ type: 'TakeUp', by: intake }, MONDAY).thenFails(DomainNotFound);
    const destroyed = stored(...received, {
      type: 'concern.ConcernDestroyed',
      data: { concernId: 'c-1', cause: 'retention', at: MONDAY.now },
    });
    spec.given(destroyed).when({ type: 'TakeUp', by: intake }, MONDAY).thenFails(DomainNotFound);
  });
});

describe('outreach', () => {
  const attempt = (outcome: 'reached' | 'not_reached' | 'declined'): ConcernCommand => ({
    type: 'RecordContactAttempt',
    attemptId: `a-${outcome}`,
    kind: 'home_visit',
    outcome,
    by: intake,
  });

  it('alerts the team lead on the third unanswered attempt within 20 working days, once', () => {
    let history = inTriage;
    const days = ['2026-12-07', '2026-12-14', '2027-01-04'];
    for (const [i, day] of days.entries()) {
      const events = decided(attempt('not_reached'), history, at(`${day}T10:00:00.000Z`));
      expect(events.map((e) => e.type)).toEqual(
        i < 2
          ? ['concern.ContactAttemptRecorded']
          : ['concern.ContactAttemptRecorded', 'concern.OutreachStalled'],
      );
      history = stored(...history, ...events);
    }
    expect(decided(attempt('not_reached'), history).map((e) => e.type)).toEqual([
      'concern.ContactAttemptRecorded',
    ]);
  });

  it('does not count attempts older than the window', () => {
    let history = inTriage;
    for (const day of ['2026-11-02', '2026-12-14', '2027-01-04']) {
      history = stored(
        ...history,
        ...decided(attempt('not_reached'), history, at(`${day}T10:00:00.000Z`)),
      );
    }
    const state = history.reduce(concernDecider.evolve, concernDecider.initialState);
    expect(state.concern).toMatchObject({ status: 'outreach', outreachStalled: false });
  });

  it('closes on a declined contact, except a safety concern, which alerts the team lead', () => {
    expect(decided(attempt('declined'), inTriage).map((e) => e.type)).toEqual([
      'concern.ContactAttemptRecorded',
      'concern.ConcernClosed',
    ]);
    const safety = stored(...decided({ ...file, category: 'safety' }, []), ...takenUp);
    const events = decided(attempt('declined'), safety);
    expect(events[1]).toEqual({
      type: 'concern.OutreachStalled',
      data: { concernId: 'c-1', teamId: 'team-haven', reason: 'declined_safety', at: MONDAY.now },
    });
    const state = stored(...safety, ...events).reduce(
      concernDecider.evolve,
      concernDecider.initialState,
    );
    expect(state.concern?.status).toBe('outreach');
  });
});

describe('timers', () => {
  const due = '2026-12-15T00:00:00.000Z';
  it('records a missed triage deadline once, and only while nobody took the concern up', () => {
    const pass: ConcernCommand = { type: 'PassTriageDeadline', dueAt: due };
    spec
      .given(stored(...received))
      .when(pass, at('2026-12-14T23:59:59.000Z'))
      .then([]);
    const overdue = decided(pass, stored(...received), at(due));
    expect(overdue).toEqual([
      {
        type: 'concern.TriageOverdue',
        data: { concernId: 'c-1', teamId: 'team-haven', dueAt: due, at: due },
      },
    ]);
    spec
      .given(stored(...received, ...overdue))
      .when(pass, at(due))
      .then([]);
    spec.given(inTriage).when(pass, at(due)).then([]);
    spec
      .given(stored(...received))
      .when({ ...pass, dueAt: '2026-12-09T00:00:00.000Z' }, at(due))
      .then([]);
  });

  it('destroys a closed concern that never reached a family after the retention period', () => {
    const dismissed = stored(
      ...inTriage,
      ...decided({ type: 'Dismiss', reason: 'Geen zorgen', by: intake }, inTriage),
    );
    const end = retentionEnd(MONDAY.now, 12).toISOString();
    expect(end).toBe('2027-12-07T09:00:00.000Z');
    spec.given(dismissed).when({ type: 'Destroy' }, at('2027-12-07T08:59:59.000Z')).then([]);
    spec
      .given(dismissed)
      .when({ type: 'Destroy' }, at(end))
      .then([
        {
          type: 'concern.ConcernDestroyed',
          data: { concernId: 'c-1', cause: 'retention', at: end },
        },
      ]);
    spec.given(inTriage).when({ type: 'Destroy' }, at(end)).then([]);
    const link: ConcernCommand = {
      type: 'Link',
      familyId: 'f-1',
      memberId: null,
      by: intake,
    };
    const linked = stored(...inTriage, ...decided(link, inTriage));
    const closedAfterLink = stored(...linked, {
      type: 'concern.ConcernClosed',
      data: { concernId: 'c-1', reason: 'declined', at: MONDAY.now },
    });
    spec.given(closedAfterLink).when({ type: 'Destroy' }, at(end)).then([]);
  });
});

describe('erasure', () => {
  it('destroys a concern whatever its status when its member or family is erased, once', () => {
    const erased = {
      type: 'concern.ConcernDestroyed',
      data: { concernId: 'c-1', cause: 'erasure', at: MONDAY.now },
    } as const;
    spec.given(inTriage).when({ type: 'Erase' }, MONDAY).then([erased]);
    spec
      .given(stored(...received))
      .when({ type: 'Erase' }, MONDAY)
      .then([erased]);
    spec
      .given(stored(...inTriage, erased))
      .when({ type: 'Erase' }, MONDAY)
      .then([]);
    spec.given([]).when({ type: 'Erase' }, MONDAY).then([]);
    const state = stored(...inTriage, erased).reduce(
      concernDecider.evolve,
      concernDecider.initialState,
    );
    expect(state.concern).toMatchObject({ status: 'destroyed', subject: null, description: null });
  });
});
