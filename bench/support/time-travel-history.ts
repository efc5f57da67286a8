import { randomUUID } from 'node:crypto';
import type { AdjustableClock } from '#libs/clock/index.js';
import type { Answer, BenchApp } from './time-travel-app.js';

/** At most this many events per plan: the plan projection rewrites the whole plan once per batch (live: about once per command). */
const EVENTS_PER_PLAN = 200;
/** The history spans four years of the domain clock. */
const SPAN_MS = 4 * 365 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const SLT_HAVEN = { kind: 'organisation', id: 'SLT Haven' };
/** Where the auditor looks back to, as a share of the history's events. */
export const MOMENT_SHARES = [0.25, 0.5, 0.9] as const;

export interface Moment {
  readonly label: string;
  readonly asOf: string;
  /** Events of the family and plan streams recorded by then. */
  readonly events: number;
}

export interface History {
  readonly familyId: string;
  readonly teamId: string;
  readonly events: number;
  readonly plans: number;
  readonly commands: number;
  readonly buildMs: number;
  readonly moments: Moment[];
  /** Position of the last command, for X-Consistent-After. */
  readonly position: string;
}

const NOTE =
  'Gesprek met moeder over de aanvraag bij de woningcorporatie; de schuldhulp loopt, de ' +
  'budgetcoach komt elke twee weken. Volgende stap afgesproken.';

/**
 * One long-lived family written through the real HTTP command path: registration, then
 * successive plans (open, casusregie, goals, actions, agreement by the parent and the
 * organisation, progress notes, completed actions, goal progress, new versions with a
 * re-agreement, closure), the domain clock moving forward a little before every command.
 * Each plan holds at most EVENTS_PER_PLAN events; the last one stays open.
 */
export async function buildHistory(
  bench: BenchApp,
  target: number,
  log: (message: string) => void,
): Promise<History> {
  const clock = bench.infra.clock as AdjustableClock;
  const teamId = randomUUID();
  const sanne = await bench.token({
    sub: 'prof-sanne',
    name: 'Sanne de Vries',
    organisation: 'SLT Haven',
    roles: ['professional'],
    teams: [teamId],
  });
  const step = Math.floor(SPAN_MS / target);
  const started = process.hrtime.bigint();
  let events = 0;
  let commands = 0;
  let position = '';
  const moments: Moment[] = [];

  /** One command; `produces` is how many events of the family's streams it appends. */
  async function send(
    method: string,
    path: string,
    body: object | undefined,
    produces: number,
  ): Promise<Answer['body']> {
    clock.set(new Date(clock.now().getTime() + step));
    const answer = await bench.call(method, path, sanne, body);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    commands += 1;
    events += produces;
    if (typeof answer.body.position === 'string') position = answer.body.position;
    for (const share of MOMENT_SHARES) {
      const label = `${share * 100}%`;
      if (events >= share * target && !moments.some((m) => m.label === label)) {
        moments.push({ label, asOf: clock.now().toISOString(), events });
      }
    }
    return answer.body;
  }

  const child = new Date(clock.now().getTime() - 3 * 365 * DAY_MS).toISOString().slice(0, 10);
  const registered = await send(
    'POST',
    '/api/v1/families',
    {
      teamId,
      members: [
        { givenName: 'Paulien', familyName: 'de Vries', dateOfBirth: '1986-03-14', role: 'parent' },
        // Under 12 for the whole history, so the parent alone signs for the family.
        { givenName: 'Noah', familyName: 'de Vries', dateOfBirth: child, role: 'child' },
      ],
      network: [{ name: 'Oma Ria', relation: 'grandmother' }],
    },
    2, // FamilyRegistered, ProfessionalJoinedCaseTeam
  );
  const familyId = registered.familyId as string;
  const [parent, kid] = registered.memberIds as string[];
  const [oma] = registered.networkIds as string[];
  const f = `/api/v1/families/${familyId}`;
  const due = () => new Date(clock.now().getTime() + 90 * DAY_MS).toISOString().slice(0, 10);
  const parentSigns = (produces: number) =>
    send('POST', `${f}/plan/signatures`, { party: { kind: 'member', id: parent } }, produces);

  const plans = Math.max(1, Math.ceil((target - 2) / EVENTS_PER_PLAN));
  for (let p = 0; p < plans; p += 1) {
    const last = p === plans - 1;
    const budget = Math.round(((target - 2) * (p + 1)) / plans) + 2 - (last ? 0 : 1);
    await send('POST', `${f}/plan`, undefined, 1);
    await send('PUT', `${f}/regie/casusregie`, { professionalId: 'prof-sanne' }, 1);
    const goals: string[] = [];
    for (const lifeDomain of ['housing', 'finances', 'mental_health']) {
      const goal = await send(
        'POST',
        `${f}/plan/goals`,
        { familyWording: 'Een huis en rust in de financiën', concerns: [parent, kid], lifeDomain },
        1,
      );
      goals.push(goal.goalId as string);
    }
    const actions: string[] = [];
    /** Open actions of a professional: their organisation must sign each new version too. */
    const organisationActions = new Set<string>();
    const addAction = async (i: number, produces: number) => {
      const assignee =
        i % 4 === 3
          ? { kind: 'professional', id: 'prof-sanne' }
          : i % 4 === 2
            ? { kind: 'network', id: oma }
            : { kind: 'member', id: parent };
      const action = await send(
        'POST',
        `${f}/plan/actions`,
        {
          goalId: goals[i % goals.length],
          description: 'Afspraak maken',
          assignee,
          dueDate: due(),
        },
        produces,
      );
      actions.push(action.actionId as string);
      if (assignee.kind === 'professional') organisationActions.add(action.actionId as string);
    };
    const agree = async () => {
      if (organisationActions.size > 0) {
        await send('POST', `${f}/plan/signatures`, { party: SLT_HAVEN }, 1);
      }
      await parentSigns(2);
    };
    for (let i = 0; i < 4; i += 1) await addAction(i, 1);
    // The organisation of the professional's action signs too; the last signature agrees.
    await agree();

    for (let i = 1; events < budget; i += 1) {
      if (i % 50 === 0 && budget - events >= 5) {
        // A new action for the parent changes what was agreed: version n+1, agreed again.
        await addAction(0, 2);
        await agree();
      } else if (i % 25 === 0 && actions.length > 0) {
        const actionId = actions.shift()!;
        await send('POST', `${f}/plan/actions/${actionId}/completion`, undefined, 1);
        organisationActions.delete(actionId);
      } else if (i % 70 === 0) {
        const achievementStatus = i % 140 === 0 ? 'improving' : 'no_change';
        await send('PATCH', `${f}/plan/goals/${goals[i % 3]}`, { achievementStatus }, 1);
      } else {
        const evaluation = i % 90 === 0;
        const goalId = i % 3 === 0 ? undefined : goals[i % 3];
        await send('POST', `${f}/plan/notes`, { text: NOTE, goalId, evaluation }, 1);
      }
    }
    if (!last) await send('POST', `${f}/plan/closure`, { reason: 'goals_achieved' }, 1);
    // The count by construction must match the store's; a mismatch means a command did more.
    const [{ n }]: Array<{ n: number }> = await bench.infra.dataSource.query(
      'SELECT count(*)::int AS n FROM events WHERE stream_id = ANY($1)',
      [[`family-${familyId}`, `gezinsplan-${familyId}`]],
    );
    if (n !== events) throw new Error(`B4 history: counted ${events} events, the store has ${n}`);
    log(`B4 history: plan ${p + 1}/${plans}, ${events} events, ${commands} commands`);
  }
  return {
    familyId,
    teamId,
    events,
    plans,
    commands,
    buildMs: Number(process.hrtime.bigint() - started) / 1e6,
    moments,
    position,
  };
}
