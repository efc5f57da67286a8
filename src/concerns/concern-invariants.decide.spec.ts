import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import { DUTCH_HOLIDAYS } from '#libs/working-days/dutch-holidays.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import { DEFAULT_CONCERN_DEADLINES } from '../../config/municipalities.js';
import { concernDecider, type ConcernCommand } from './concern.decide.js';
import type { ConcernEvent } from './concern.events.js';
import type { ConcernState } from './concern.evolve.js';
import { CONCERN_CATEGORIES, CONTACT_OUTCOMES, URGENCIES } from './concern.model.js';

const calendar = new WorkingDayCalendar({ holidays: [...DUTCH_HOLIDAYS], extraHolidays: [] });
const START = Date.parse('2026-12-07T09:00:00.000Z');
const HOUR = 3_600_000;
const intake = { professionalId: 'p-slt', name: 'Sanne', organisation: 'SLT Haven' };

type Step = { advance: number; command: ConcernCommand | 'triage-deadline' };

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const step: fc.Arbitrary<Step> = fc.record({
  // Mostly moments apart, sometimes days, now and then past a retention period.
  advance: fc.oneof(
    w(4, fc.constant(0)),
    w(4, fc.integer({ min: 0, max: 24 * HOUR })),
    w(1, fc.integer({ min: 0, max: 400 * 24 * HOUR })),
  ),
  command: fc.oneof(
    w(3, fc.constant({ type: 'TakeUp', by: intake } as const)),
    w(
      1,
      fc
        .constantFrom('f-1', 'f-2')
        .map((familyId) => ({ type: 'Link', familyId, memberId: null, by: intake }) as const),
    ),
    w(
      1,
      fc
        .constantFrom('f-1', 'f-2')
        .map((familyId) => ({ type: 'RejectMatch', familyId, by: intake }) as const),
    ),
    w(
      1,
      fc.constant({
        type: 'RecordRegistration',
        familyId: 'f-3',
        memberIds: ['m-1'],
        by: intake,
      } as const),
    ),
    w(
      3,
      fc.constantFrom(...CONTACT_OUTCOMES).map(
        (outcome) =>
          ({
            type: 'RecordContactAttempt',
            attemptId: 'a',
            kind: 'phone',
            outcome,
            by: intake,
          }) as const,
      ),
    ),
    w(4, fc.constant({ type: 'Dismiss', reason: 'Geen zorgen', by: intake } as const)),
    w(4, fc.constant({ type: 'Reopen', reason: 'Toch wel', by: intake } as const)),
    w(2, fc.constant({ type: 'Destroy' } as const)),
    w(1, fc.constant({ type: 'Erase' } as const)),
    w(2, fc.constant('triage-deadline' as const)),
  ),
});

const REFUSALS = [DomainConflict, DomainNotFound, DomainRuleViolation];

describe('the concern decider, given any sequence of commands and timers', () => {
  it('keeps its invariants, refuses without changing anything, and replays to the live state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONCERN_CATEGORIES),
        fc.constantFrom(...URGENCIES),
        fc.array(step, { maxLength: 25 }),
        (category, urgency, steps) => {
          let now = START;
          const context = () => ({
            now: new Date(now).toISOString(),
            calendar,
            deadlines: DEFAULT_CONCERN_DEADLINES,
            retentionMonths: 12,
          });
          const history: ConcernEvent[] = [];
          let state: ConcernState = concernDecider.initialState;
          const apply = (events: readonly ConcernEvent<'open'>[]) => {
            for (const e of events as unknown as ConcernEvent[]) {
              history.push(e);
              state = concernDecider.evolve(state, e);
            }
          };
          apply(
            concernDecider.decide(
              {
                type: 'FileConcern',
                concernId: 'c-1',
                teamId: 't-1',
                reporter: { professionalId: 'p-school', name: 'School', organisation: 'School' },
                subject: { bsn: '111222333', postcode: '1354AB', houseNumber: '1' },
                category,
                urgency,
                description: 'Zorgen',
              },
              state,
              context(),
            ),
          );
          let overdueAlerts = 0;
          let reopenings = 0;
          for (const { advance, command } of steps) {
            now += advance;
            const before = structuredClone(state);
            const decided =
              command === 'triage-deadline'
                ? { type: 'PassTriageDeadline' as const, dueAt: state.concern!.triageDueAt }
                : command;
            let events: readonly ConcernEvent<'open'>[];
            try {
              events = concernDecider.decide(decided, state, context());
            } catch (error) {
              expect(REFUSALS.some((Refusal) => error instanceof Refusal)).toBe(true);
              expect(state).toEqual(before);
              continue;
            }
            overdueAlerts += events.filter((e) => e.type === 'concern.TriageOverdue').length;
            reopenings += events.filter((e) => e.type === 'concern.ConcernReopened').length;
            const wasLinked = state.concern!.everLinked;
            const destroyedByRetention = events.some(
              (e) => e.type === 'concern.ConcernDestroyed' && e.data.cause === 'retention',
            );
            // Retention never destroys what reached a family, nor anything still open.
            if (destroyedByRetention) {
              expect(wasLinked).toBe(false);
              expect(['dismissed', 'closed']).toContain(state.concern!.status);
            }
            apply(events);
          }
          const c = state.concern!;
          expect(overdueAlerts).toBeLessThanOrEqual(1);
          expect(reopenings).toBeLessThanOrEqual(1);
          if (c.status === 'destroyed') {
            expect([c.subject, c.description, c.onBehalfOf]).toEqual([null, null, null]);
          }
          if (c.status === 'linked' || c.status === 'registered') expect(c.familyId).not.toBeNull();
          // Closed means a closing moment (for retention and reopening); open means none.
          if (c.status !== 'destroyed') {
            expect(c.closedAt === null).toBe(!['dismissed', 'closed'].includes(c.status));
          }
          // What is stored folds to what was decided, also after a round trip through JSON.
          const replayed = (JSON.parse(JSON.stringify(history)) as ConcernEvent[]).reduce(
            concernDecider.evolve,
            concernDecider.initialState,
          );
          expect(replayed).toEqual(state);
        },
      ),
      { numRuns: 300 },
    );
  });
});
