import { describe, expect, it } from '@jest/globals';
import {
  ageBandOf,
  computeTeamFigures,
  nextEvaluationDate,
  type DashboardFamily,
  type DashboardPlan,
} from './team-dashboard.js';

const TODAY = new Date('2026-06-15T10:00:00Z');

const plan = (overrides: Partial<DashboardPlan> = {}): DashboardPlan => ({
  status: 'draft',
  actions: [],
  firstAgreedAt: null,
  lastEvaluationAt: null,
  ...overrides,
});

let next = 0;
const family = (overrides: Partial<DashboardFamily> = {}): DashboardFamily => ({
  familyId: `f${++next}`,
  plan: plan(),
  members: [],
  caseTeam: [],
  ...overrides,
});

const member = (dateOfBirth: string | null, status: 'current' | 'departed' = 'current') => ({
  memberId: `m${++next}`,
  status,
  dateOfBirth,
});

const figures = (families: DashboardFamily[], levels: number[] = []) =>
  computeTeamFigures({
    families,
    openEscalationLevels: levels,
    today: TODAY,
    evaluationIntervalMonths: 3,
  });

describe('ageBandOf', () => {
  it('puts each age in whole years in its band [from, to), erased ones under unknown', () => {
    const cases: Array<[string | null, string]> = [
      ['2026-06-15', '0-4'],
      ['2022-06-16', '0-4'], // 3 until tomorrow
      ['2022-06-15', '4-12'], // 4 today
      ['2014-06-16', '4-12'],
      ['2014-06-15', '12-18'],
      ['2008-06-15', '18-23'],
      ['2003-06-16', '18-23'],
      ['2003-06-15', '23-65'],
      ['1961-06-16', '23-65'],
      ['1961-06-15', '65+'],
      ['1920-01-01', '65+'],
      [null, 'unknown'],
    ];
    for (const [dateOfBirth, band] of cases) {
      expect([dateOfBirth, ageBandOf(dateOfBirth, TODAY)]).toEqual([dateOfBirth, band]);
    }
  });
});

describe('nextEvaluationDate', () => {
  it('counts from the last evaluation, else from the first agreement; none before agreement', () => {
    expect(nextEvaluationDate(plan(), 3)).toBeNull();
    expect(nextEvaluationDate(plan({ firstAgreedAt: '2025-11-30T09:00:00Z' }), 3)).toBe(
      '2026-02-28',
    );
    expect(
      nextEvaluationDate(
        plan({ firstAgreedAt: '2025-01-01T09:00:00Z', lastEvaluationAt: '2026-04-01T09:00:00Z' }),
        3,
      ),
    ).toBe('2026-07-01');
  });
});

describe('computeTeamFigures', () => {
  it('is all zeros for a team without families', () => {
    expect(figures([])).toEqual({
      activeCases: 0,
      plansAwaitingAgreement: 0,
      overdueActions: 0,
      evaluationsDue: 0,
      escalationsByLevel: { '0': 0, '1': 0, '2': 0 },
      caseloadByProfessional: [],
      membersByAgeBand: {
        '0-4': 0,
        '4-12': 0,
        '12-18': 0,
        '18-23': 0,
        '23-65': 0,
        '65+': 0,
        unknown: 0,
      },
    });
  });

  it('counts only active cases: a plan that exists and is not closed', () => {
    const ann = { professionalId: 'p-ann', name: 'Ann' };
    const bob = { professionalId: 'p-bob', name: 'Bob' };
    const overdue = { status: 'open', dueDate: '2026-06-14' };
    const result = figures(
      [
        // No plan yet, and a closed plan: not active, nothing of theirs counts.
        family({ plan: null, members: [member('2020-01-01')], caseTeam: [ann] }),
        family({
          plan: plan({ status: 'closed', actions: [overdue], firstAgreedAt: '2020-01-01' }),
          members: [member('2020-01-01')],
          caseTeam: [ann, bob],
        }),
        // A draft with one overdue action, one due today, one done and one cancelled.
        family({
          plan: plan({
            actions: [
              overdue,
              { status: 'open', dueDate: '2026-06-15' },
              { status: 'done', dueDate: '2026-01-01' },
              { status: 'cancelled', dueDate: '2026-01-01' },
            ],
          }),
          members: [member('2024-01-01'), member('1990-01-01'), member(null)],
          caseTeam: [bob, ann],
        }),
        // Agreed 3 months ago today: evaluation due.
        family({
          plan: plan({ status: 'agreed', firstAgreedAt: '2026-03-15T08:00:00Z' }),
          members: [member('1950-01-01'), member('2010-01-01', 'departed')],
          caseTeam: [ann],
        }),
        // Agreed long ago, evaluated last month: not due; a next version in draft.
        family({
          plan: plan({
            status: 'draft',
            firstAgreedAt: '2025-01-01T08:00:00Z',
            lastEvaluationAt: '2026-05-20T08:00:00Z',
            actions: [overdue],
          }),
          members: [member('2012-06-15')],
          caseTeam: [{ professionalId: 'p-cas', name: 'Cas' }, bob],
        }),
        // Agreed long ago, never evaluated: due.
        family({ plan: plan({ status: 'agreed', firstAgreedAt: '2025-01-01T08:00:00Z' }) }),
      ],
      [0, 0, 1, 2, 1, 0],
    );
    expect(result).toEqual({
      activeCases: 4,
      plansAwaitingAgreement: 2,
      overdueActions: 2,
      evaluationsDue: 2,
      escalationsByLevel: { '0': 3, '1': 2, '2': 1 },
      caseloadByProfessional: [
        { professionalId: 'p-ann', name: 'Ann', cases: 2 },
        { professionalId: 'p-bob', name: 'Bob', cases: 2 },
        { professionalId: 'p-cas', name: 'Cas', cases: 1 },
      ],
      membersByAgeBand: {
        '0-4': 1,
        '4-12': 0,
        '12-18': 1,
        '18-23': 0,
        '23-65': 1,
        '65+': 1,
        unknown: 1,
      },
    });
  });

  it('sorts the caseload by cases, then name, then id; one name per professional', () => {
    const active = (caseTeam: DashboardFamily['caseTeam']) => family({ caseTeam });
    const result = figures([
      active([
        { professionalId: 'p-2', name: 'Zoë' },
        { professionalId: 'p-1', name: 'Anna' },
      ]),
      active([{ professionalId: 'p-2', name: 'Zoe' }]),
      active([{ professionalId: 'p-3', name: 'Anna' }]),
    ]);
    expect(result.caseloadByProfessional).toEqual([
      { professionalId: 'p-2', name: 'Zoe', cases: 2 },
      { professionalId: 'p-1', name: 'Anna', cases: 1 },
      { professionalId: 'p-3', name: 'Anna', cases: 1 },
    ]);
  });
});
