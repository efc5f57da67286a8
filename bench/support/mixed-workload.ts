import { randomUUID } from 'node:crypto';

/** The part of the generator's DataSet the workload needs (structural, so a subset will do). */
export interface WorkloadData {
  readonly teams: ReadonlyArray<{
    readonly teamId: string;
    readonly professionals: ReadonlyArray<{ sub: string; name: string; organisation: string }>;
    /** Where concerns about the team's residents come from; a team without any gets none. */
    readonly postcodeAreas?: readonly string[];
  }>;
  readonly families: ReadonlyArray<{
    readonly familyId: string;
    readonly teamId: string;
    readonly casusregisseurSub: string;
    /** When known: families without an open plan are not asked to take plan commands. */
    readonly planStatus?: string | null;
  }>;
}

export const KINDS = [
  'family view',
  'plan view',
  'inbox',
  'escalation list',
  'team dashboard',
  'concern queue',
  'my concerns',
  'progress note',
  'add action',
  'register family',
  'file concern',
] as const;
export type Kind = (typeof KINDS)[number];

/**
 * 80 % privacy-scoped reads, 20 % commands. Notes dominate the commands because that is what
 * professionals record most; registering a family is rare (and grows the data set as it runs).
 * Partner organisations file concerns and read their own; intake reads its team's queue. Both
 * lists grow as the run files concerns, as they would over a day.
 */
const MIX: ReadonlyArray<readonly [Kind, number]> = [
  ['family view', 23],
  ['plan view', 23],
  ['inbox', 10],
  ['escalation list', 10],
  ['team dashboard', 9],
  ['concern queue', 3],
  ['my concerns', 2],
  ['progress note', 11],
  ['add action', 5],
  ['register family', 2],
  ['file concern', 2],
];

/** Professionals of partner organisations on no SLT team: they file concerns (any may). */
const REPORTERS = [
  { sub: 'bench-reporter-school', name: 'Mw. Jansen', organisation: 'OBS De Regenboog' },
  { sub: 'bench-reporter-housing', name: 'Dhr. Kok', organisation: 'Ymere' },
  { sub: 'bench-reporter-gp', name: 'Dr. Peters', organisation: 'Huisartsenpraktijk Haven' },
  { sub: 'bench-reporter-police', name: 'Karim Haddou', organisation: 'Politie' },
];
const CATEGORIES = ['school_absence', 'rent_arrears', 'debts', 'loneliness', 'nuisance'];

export interface WorkloadRequest {
  readonly kind: Kind;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

interface Viewer {
  readonly sub: string;
  readonly token: string;
  readonly teamId: string;
}

/** A family whose plan takes commands, and the open goals an action may hang on. */
interface PlanTarget {
  readonly familyId: string;
  readonly casusregisseur: Viewer;
  readonly goalIds: string[];
}

export interface Workload {
  next(): WorkloadRequest;
  /** One request of this kind (for timing each endpoint alone). */
  request(kind: Kind): WorkloadRequest;
  /** Families read from, plan streams commanded, professionals with a token. */
  readonly size: { families: number; planTargets: number; plansOpened: number; viewers: number };
}

/** mulberry32: a seeded generator, so two runs send the same sequence of requests. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function issueTokens(
  baseUrl: string,
  professionals: ReadonlyArray<{ sub: string; name: string; organisation: string; teamId: string }>,
): Promise<Map<string, Viewer>> {
  const viewers = await inParallel(professionals, 8, async (p) => {
    const response = await fetch(`${baseUrl}/api/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sub: p.sub,
        name: p.name,
        organisation: p.organisation,
        roles: ['professional'],
        teams: p.teamId ? [p.teamId] : [],
      }),
    });
    const { token } = await json<{ token: string }>(response, 'dev token');
    return { sub: p.sub, token, teamId: p.teamId };
  });
  return new Map(viewers.map((v) => [v.sub, v]));
}

interface PlanView {
  status: string;
  goals: Array<{ goalId: string; lifecycleStatus: string }>;
}

/**
 * Reads the plans of up to `limit` families as their casusregisseur: commands go only to plans
 * that take them (open, not closed), actions only to open goals. Doubles as a warm-up.
 */
async function planTargets(
  baseUrl: string,
  families: WorkloadData['families'],
  viewers: Map<string, Viewer>,
  limit: number,
): Promise<PlanTarget[]> {
  const candidates = families
    .filter(
      (f) => f.planStatus === undefined || (f.planStatus !== null && f.planStatus !== 'closed'),
    )
    .slice(0, limit);
  const found = await inParallel(candidates, 8, async (family) => {
    const casusregisseur = viewers.get(family.casusregisseurSub);
    if (!casusregisseur) return undefined;
    const response = await fetch(`${baseUrl}/api/v1/families/${family.familyId}/plan`, {
      headers: { authorization: `Bearer ${casusregisseur.token}` },
    });
    if (response.status === 404) return undefined;
    const plan = await json<PlanView>(response, `plan of ${family.familyId}`);
    if (plan.status === 'closed') return undefined;
    const goalIds = plan.goals
      .filter((g) => g.lifecycleStatus === 'proposed' || g.lifecycleStatus === 'active')
      .map((g) => g.goalId);
    return { familyId: family.familyId, casusregisseur, goalIds };
  });
  return found.filter((t): t is PlanTarget => t !== undefined);
}

/**
 * A small data set has few open plans (most simulated cases end closed), and commands
 * round-robin over too few plans would meet each other. Opens a new plan with one goal for
 * families whose plan is closed, as their casusregisseur would, until there are `wanted`.
 */
async function openPlans(
  baseUrl: string,
  families: WorkloadData['families'],
  viewers: Map<string, Viewer>,
  wanted: number,
): Promise<PlanTarget[]> {
  const opened: PlanTarget[] = [];
  for (const family of families) {
    if (opened.length >= wanted) break;
    if (family.planStatus !== 'closed') continue;
    const casusregisseur = viewers.get(family.casusregisseurSub)!;
    const api = `${baseUrl}/api/v1/families/${family.familyId}`;
    const headers = {
      authorization: `Bearer ${casusregisseur.token}`,
      'content-type': 'application/json',
    };
    const view = await fetch(api, { headers });
    if (!view.ok) continue;
    const { members } = (await view.json()) as {
      members: Array<{ memberId: string; status: string }>;
    };
    const member = members.find((m) => m.status === 'current');
    if (!member) continue;
    if (!(await fetch(`${api}/plan`, { method: 'POST', headers })).ok) continue;
    const goal = await fetch(`${api}/plan/goals`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        familyWording: 'Rust in huis en een vaste dagstructuur',
        concerns: [member.memberId],
        lifeDomain: 'domestic_relations',
      }),
    });
    if (!goal.ok) continue;
    const { goalId } = (await goal.json()) as { goalId: string };
    opened.push({ familyId: family.familyId, casusregisseur, goalIds: [goalId] });
  }
  return opened;
}

export interface WorkloadOptions {
  readonly seed?: number;
  /** How many families' plans take commands (each read once while preparing). */
  readonly planTargets?: number;
}

/**
 * Tokens for every professional of the data set and the plans that take commands; then each
 * `next()` is one request of the mix, for a random family and one who may see it: mostly its
 * casusregisseur (full view), otherwise an SLT colleague of its team (pseudonymised view).
 */
export async function prepareWorkload(
  baseUrl: string,
  data: WorkloadData,
  options: WorkloadOptions = {},
): Promise<Workload> {
  const rand = random(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const viewers = await issueTokens(
    baseUrl,
    data.teams.flatMap((team) => team.professionals.map((p) => ({ ...p, teamId: team.teamId }))),
  );
  const reporters = [
    ...(
      await issueTokens(
        baseUrl,
        REPORTERS.map((r) => ({ ...r, teamId: '' })),
      )
    ).values(),
  ];
  const areaOf = new Map(
    data.teams.flatMap((t) => (t.postcodeAreas?.length ? [[t.teamId, t.postcodeAreas[0]]] : [])),
  );
  if (areaOf.size === 0) throw new Error('no team has postcode areas: concerns cannot be filed');
  const families = data.families.filter((f) => viewers.has(f.casusregisseurSub));
  // Shuffled, so the families whose plans take commands are a sample, not the oldest ones.
  for (let i = families.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [families[i], families[j]] = [families[j], families[i]];
  }
  if (families.length === 0) throw new Error('no family has a casusregisseur with a token');
  const byTeam = new Map<string, Viewer[]>();
  for (const v of viewers.values()) byTeam.set(v.teamId, [...(byTeam.get(v.teamId) ?? []), v]);
  const limit = options.planTargets ?? 500;
  const targets = await planTargets(baseUrl, families, viewers, limit);
  const fewest = Math.min(limit, 64);
  const opened =
    targets.length < fewest
      ? await openPlans(baseUrl, families, viewers, fewest - targets.length)
      : [];
  targets.push(...opened);
  if (targets.length === 0) throw new Error('no family has a plan that takes commands');

  // Commands go round-robin over the plans, not at random: two commands on one plan at the
  // same moment would conflict (409), which a real client would retry but a benchmark counts.
  let cursor = 0;
  let sequence = 0;
  const today = new Date();
  const dueDate = new Date(today.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const weights = MIX.reduce((sum, [, w]) => sum + w, 0);

  const viewerOf = (family: WorkloadData['families'][number]): Viewer => {
    const casusregisseur = viewers.get(family.casusregisseurSub)!;
    const colleagues = byTeam.get(family.teamId) ?? [];
    return rand() < 0.3 && colleagues.length > 0 ? pick(colleagues) : casusregisseur;
  };
  const get = (kind: Kind, path: string, viewer: Viewer): WorkloadRequest => ({
    kind,
    method: 'GET',
    path,
    headers: { authorization: `Bearer ${viewer.token}` },
  });
  const post = (kind: Kind, path: string, viewer: Viewer, body: unknown): WorkloadRequest => ({
    kind,
    method: 'POST',
    path,
    headers: {
      authorization: `Bearer ${viewer.token}`,
      'content-type': 'application/json',
      // Clients send one on every POST (README), so its insert is part of a command's cost.
      'idempotency-key': `b3-${(sequence += 1)}-${randomUUID()}`,
    },
    body: JSON.stringify(body),
  });

  const concernAbout = (teamId: string) => {
    const area = areaOf.get(teamId) ?? pick([...areaOf.values()]);
    return {
      subject: {
        familyName: `Bewoner ${(sequence += 1)}`,
        dateOfBirth: '1979-04-12',
        postcode: `${area} AB`,
        houseNumber: String(1 + (sequence % 200)),
      },
      category: pick(CATEGORIES),
      urgency: 'normal',
      description: 'Sinds een paar weken reageert de bewoner niet meer op afspraken.',
    };
  };

  const build = (kind: Kind): WorkloadRequest => {
    const family = pick(families);
    const api = `/api/v1/families/${family.familyId}`;
    switch (kind) {
      case 'concern queue':
        return get(kind, `/api/v1/teams/${family.teamId}/concerns`, viewerOf(family));
      case 'my concerns':
        return get(kind, '/api/v1/concerns/mine', pick(reporters));
      case 'file concern':
        return post(kind, '/api/v1/concerns', pick(reporters), concernAbout(family.teamId));
      case 'family view':
        return get(kind, api, viewerOf(family));
      case 'plan view':
        return get(kind, `${api}/plan`, viewerOf(family));
      case 'inbox':
        return get(kind, '/api/v1/me/inbox', viewerOf(family));
      case 'escalation list':
        return get(kind, '/api/v1/escalations?status=open', viewerOf(family));
      case 'team dashboard':
        return get(kind, `/api/v1/teams/${family.teamId}/dashboard`, viewerOf(family));
      case 'register family': {
        const viewer = viewers.get(family.casusregisseurSub)!;
        return post(kind, '/api/v1/families', viewer, {
          teamId: viewer.teamId,
          members: [
            {
              givenName: 'Bench',
              familyName: `Gezin ${sequence}`,
              dateOfBirth: '1985-06-01',
              role: 'parent',
            },
            {
              givenName: 'Kind',
              familyName: `Gezin ${sequence}`,
              dateOfBirth: '2015-02-11',
              role: 'child',
            },
          ],
        });
      }
      case 'progress note':
      case 'add action': {
        const target = targets[cursor++ % targets.length];
        const plan = `/api/v1/families/${target.familyId}/plan`;
        if (kind === 'add action' && target.goalIds.length > 0) {
          return post(kind, `${plan}/actions`, target.casusregisseur, {
            goalId: pick(target.goalIds),
            description: 'Afspraak maken met de woningcorporatie',
            assignee: { kind: 'professional', id: target.casusregisseur.sub },
            dueDate,
          });
        }
        return post('progress note', `${plan}/notes`, target.casusregisseur, {
          text: 'Huisbezoek gehad; afspraken doorgenomen, volgende stap gepland.',
        });
      }
    }
  };

  // One concern for each team before the runs, so neither a queue nor a reporter's list is empty.
  for (const teamId of areaOf.keys()) {
    const r = post('file concern', '/api/v1/concerns', pick(reporters), concernAbout(teamId));
    const response = await fetch(`${baseUrl}${r.path}`, {
      method: r.method,
      headers: r.headers,
      body: r.body,
    });
    await json(response, `concern for team ${teamId}`);
  }

  return {
    next() {
      let roll = rand() * weights;
      for (const [kind, weight] of MIX) {
        roll -= weight;
        if (roll < 0) return build(kind);
      }
      return build(MIX[0][0]);
    },
    request: build,
    size: {
      families: families.length,
      planTargets: targets.length,
      plansOpened: opened.length,
      viewers: viewers.size,
    },
  };
}
