import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DomainConflict,
  DomainNotFound,
  DomainRuleViolation,
} from '#libs/aggregates/domain-errors.js';
import { escalationDecider, type EscalationCommand } from './escalation.decide.js';
import type { DecidedEscalationEvent } from './escalation.events.js';
import {
  evolveEscalation,
  INITIAL_ESCALATION_STATE,
  type EscalationState,
} from './escalation.evolve.js';
import {
  bram,
  DAY_MS,
  decision,
  ID,
  joyce,
  ladder,
  pieter,
  rosa,
  sanne,
  signal,
  T0,
} from './escalation.fixtures.js';
import { SIGNAL_CATEGORIES, type Escalation } from './escalation.model.js';

const CASE_TEAM = new Set(['prof-sanne', 'prof-joyce']);
const professionals = [sanne, joyce, pieter, rosa, bram];
const independents = [pieter, rosa, bram];
const START = Date.parse(T0);

const advance = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 0, max: DAY_MS }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 12 * DAY_MS }) },
  { weight: 1, arbitrary: fc.integer({ min: 25 * DAY_MS, max: 35 * DAY_MS }) },
);
const nextHolder = fc.option(fc.nat(independents.length - 1), { nil: null });

// Mostly independent: a refused appointment teaches less than one that goes through.
const flag = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true));
const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
const command = fc.oneof(
  weighted(2, fc.record({ op: fc.constant('acknowledge' as const), advance })),
  weighted(3, fc.record({ op: fc.constant('escalate' as const), advance, holder: nextHolder })),
  weighted(
    5,
    fc.record({
      op: fc.constant('appoint' as const),
      advance,
      who: fc.nat(professionals.length - 1),
      // Random independence, but never claiming a case-team member is independent.
      onCaseTeam: flag,
      holdsAction: flag,
    }),
  ),
  weighted(
    6,
    fc.record({
      op: fc.constant('deadlinePassed' as const),
      advance,
      which: fc.constantFrom('respondBy' as const, 'resolveBy' as const),
      stale: fc.option(fc.nat(), { nil: null }),
      catchUp: fc.boolean(),
      holder: nextHolder,
    }),
  ),
  weighted(
    5,
    fc.record({
      op: fc.constant('decide' as const),
      advance,
      byHolder: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
      justificationLength: fc.integer({ min: 60, max: 200 }),
      dueInDays: fc.array(fc.integer({ min: -2, max: 30 }), { maxLength: 2 }),
    }),
  ),
  weighted(
    2,
    fc.record({
      op: fc.constant('completeDirective' as const),
      advance,
      directive: fc.nat(2),
    }),
  ),
  weighted(
    2,
    fc.record({ op: fc.constant('directiveDue' as const), advance, directive: fc.nat(2) }),
  ),
  weighted(1, fc.record({ op: fc.constant('resolve' as const), advance })),
  weighted(1, fc.record({ op: fc.constant('withdraw' as const), advance })),
  weighted(2, fc.record({ op: fc.constant('reopen' as const), advance })),
);
type Generated = typeof command extends fc.Arbitrary<infer T> ? T : never;

const domainError = (error: unknown) =>
  error instanceof DomainRuleViolation ||
  error instanceof DomainConflict ||
  error instanceof DomainNotFound;

/** The typed command a generated step stands for, on the escalation as it is before it. */
function commandOf(
  cmd: Generated,
  before: Escalation,
  now: number,
  dueAt: string,
): EscalationCommand {
  switch (cmd.op) {
    case 'acknowledge':
      return { type: 'Acknowledge' };
    case 'escalate':
      return {
        type: 'Escalate',
        reason: 'pd1:f-1:xxx',
        holder: cmd.holder === null ? null : independents[cmd.holder],
        automatic: false,
      };
    case 'appoint': {
      const holder = professionals[cmd.who];
      return {
        type: 'Appoint',
        holder,
        independence: {
          onCaseTeam: CASE_TEAM.has(holder.professionalId) || cmd.onCaseTeam,
          holdsAction: cmd.holdsAction,
        },
      };
    }
    case 'deadlinePassed':
      return {
        type: 'PassDeadline',
        which: cmd.which,
        dueAt,
        nextHolder: cmd.holder === null ? null : independents[cmd.holder],
      };
    case 'decide': {
      const today = new Date(now).toISOString().slice(0, 10);
      return {
        type: 'Decide',
        decision: {
          ...decision,
          justification: 'j'.repeat(cmd.justificationLength),
          directives: cmd.dueInDays.map((days, i) => ({
            directiveId: `d-${i}`,
            organisation: 'SLT Haven',
            description: 'pd1:f-1:xxx',
            dueDate: new Date(Date.parse(today) + days * DAY_MS).toISOString().slice(0, 10),
          })),
        },
        deciderId: cmd.byHolder ? (before.holder?.professionalId ?? 'prof-nobody') : 'prof-joyce',
      };
    }
    case 'completeDirective':
      return { type: 'CompleteDirective', directiveId: `d-${cmd.directive}` };
    case 'directiveDue':
      return { type: 'DirectiveDue', directiveId: `d-${cmd.directive}` };
    case 'resolve':
      return { type: 'Resolve', outcome: 'pd1:f-1:xxx' };
    case 'withdraw':
      return { type: 'Withdraw', reason: 'pd1:f-1:xxx' };
    case 'reopen':
      return { type: 'Reopen', reason: 'pd1:f-1:xxx' };
  }
}

describe('Escalation: properties', () => {
  it('Given any sequence of commands and timers, Then the ladder invariants hold and the events replay to the live state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SIGNAL_CATEGORIES),
        fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }),
        (category, commands) => {
          let now = START;
          const decide = (c: EscalationCommand, state: EscalationState) =>
            escalationDecider.decide(c, state, { now: new Date(now), ladder });
          const events: DecidedEscalationEvent[] = [
            ...decide(
              { type: 'Raise', escalationId: ID, signal: { ...signal, category } },
              INITIAL_ESCALATION_STATE,
            ),
          ];
          let state = events.reduce(evolveEscalation, INITIAL_ESCALATION_STATE);
          const seenDueAts: string[] = [];
          const appointedIds: string[] = [];

          for (const cmd of commands) {
            now += cmd.advance;
            const before = state.escalation!;
            for (const d of [before.deadlines.respondBy, before.deadlines.resolveBy]) {
              if (!seenDueAts.includes(d)) seenDueAts.push(d);
            }
            let dueAt = '';
            if (cmd.op === 'deadlinePassed') {
              dueAt =
                cmd.stale === null
                  ? before.deadlines[cmd.which]
                  : seenDueAts[cmd.stale % seenDueAts.length];
              if (cmd.catchUp) now = Math.max(now, Date.parse(dueAt));
            }
            const untouched = structuredClone(state);
            let produced: readonly DecidedEscalationEvent[] = [];
            try {
              produced = decide(commandOf(cmd, before, now, dueAt), state);
              if (cmd.op === 'appoint') appointedIds.push(professionals[cmd.who].professionalId);
            } catch (error) {
              if (!domainError(error)) throw error;
              // A refused command changes nothing, not even the state it was decided on.
              expect(state).toEqual(untouched);
            }
            events.push(...produced);
            state = produced.reduce(evolveEscalation, state);

            const e = state.escalation!;
            // The level stays within the ladder and never goes down.
            expect([0, 1, 2]).toContain(e.level);
            expect(e.level).toBeGreaterThanOrEqual(before.level);
            if (before.status !== 'open') expect(e.level).toBe(before.level);
            if (produced.some((p) => p.type === 'escalation.Reopened')) {
              expect(before.status).not.toBe('open');
              expect(e.level).toBe(before.level);
              expect(e.deadlines).toEqual(
                ladder.deadlines(e.level, e.category === 'safety', new Date(now)),
              );
            }
            for (const p of produced) {
              if (p.type === 'escalation.Escalated') {
                expect(p.data.toLevel).toBe(p.data.fromLevel + 1);
                expect(p.data.deadlines).toEqual(
                  ladder.deadlines(p.data.toLevel, e.category === 'safety', new Date(now)),
                );
              }
            }

            // Status and periods.
            expect(['open', 'resolved', 'withdrawn']).toContain(e.status);
            const openPeriods = e.periods.filter((p) => p.leftAt === null);
            if (e.status === 'open') {
              expect(openPeriods).toHaveLength(1);
              expect(openPeriods[0].level).toBe(e.level);
              expect(e.closedAt).toBeNull();
            } else {
              expect(openPeriods).toHaveLength(0);
              expect(e.closedAt).not.toBeNull();
            }
            expect(e.periods.at(-1)?.level).toBe(e.level);
            expect(e.reopened).toBeLessThanOrEqual(1);

            // Independence: above level 0 the holder was never on the case team.
            if (e.level >= 1 && e.holder) {
              expect(CASE_TEAM.has(e.holder.professionalId)).toBe(false);
            }
            for (const id of appointedIds) expect(CASE_TEAM.has(id)).toBe(false);
            if (e.holder) expect(e.involved).toContain(e.holder.professionalId);
            expect(new Set(e.involved).size).toBe(e.involved.length);

            // At most one decision, and it never changes once taken.
            expect(
              events.filter((p) => p.type === 'escalation.DecisionTaken').length,
            ).toBeLessThanOrEqual(1);
            if (before.decision) {
              expect(e.decision?.decidedAt).toBe(before.decision.decidedAt);
            }
            if (e.decision) expect(e.level).toBe(2);
            expect(new Set(e.missed).size).toBe(e.missed.length);

            // The stream as stored (JSON) and loaded again folds to the live state.
            const replayed = (
              JSON.parse(JSON.stringify(events)) as DecidedEscalationEvent[]
            ).reduce(evolveEscalation, INITIAL_ESCALATION_STATE);
            expect(replayed).toEqual(state);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
