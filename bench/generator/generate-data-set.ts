import { loadMunicipalityConfig } from '../../config/municipalities.js';
import { AdjustableClock } from '#libs/clock/index.js';
import { WrongExpectedVersionError } from '#libs/event-store/errors.js';
import { NO_STREAM } from '#libs/event-store/expected-version.js';
import { WorkingDayCalendar } from '#libs/working-days/working-day-calendar.js';
import type { Infrastructure } from '../../src/core/infrastructure.js';
import { Ladder } from '../../src/escalations/ladder.js';
import type { PlanStatus } from '../../src/plans/plan.model.js';
import { teamDecider } from '../../src/teams/team.decide.js';
import { registerFamily } from './family-setup.js';
import { FamilySim, type SimWorld } from './family-sim.js';
import { almereCast, type TeamSpec } from './professionals.js';
import { Random } from './random.js';
import { DAY, gaussian, officeHours } from './time.js';

export { BENCH_MASTER_KEY, benchEnvironment, benchInfrastructure } from './bench-infrastructure.js';

export interface GeneratedProfessional {
  sub: string;
  name: string;
  organisation: string;
}

export interface GeneratedTeam {
  teamId: string;
  wijk: string;
  professionals: GeneratedProfessional[];
  name: string;
  stadsdeel: string;
  /** Concerns about residents of these four-digit postcode areas go to the team. */
  postcodeAreas: readonly string[];
  /** Appoints procesregisseurs and brandpuntfunctionarissen; not a casusregisseur. */
  teamLead: GeneratedProfessional;
}

export interface GeneratedFamily {
  familyId: string;
  teamId: string;
  /** Holds casusregie at the end (or registered the family, while no plan assigned it). */
  casusregisseurSub: string;
  /** Every member the family ever had, departed ones included. */
  memberIds: string[];
  networkIds: string[];
  /** Current members (what the team dashboard counts for active cases). */
  currentMembers: number;
  /** Status of the family's current or last plan; null while it has none. */
  planStatus: PlanStatus | null;
  /** Level of each escalation still open at the end. */
  openEscalationLevels: number[];
  /** Every escalation the family had. */
  escalationIds: string[];
  events: number;
}

export interface DataSet {
  teams: GeneratedTeam[];
  families: GeneratedFamily[];
  /** Events appended by this call (teams included). */
  events: number;
  /** The simulated period, as recorded (recorded_at): start it, then the clock at the end. */
  simulatedFrom: string;
  /** Start a server with DEV_CLOCK_START at this moment to see the data set as of its end. */
  simulatedUntil: string;
  /** Wall-clock time the generator took, and its rate. */
  seconds: number;
  eventsPerSecond: number;
  /** appendToStream calls (events / appends: the batch size the store saw). */
  appends: number;
}

export interface GenerateOptions {
  families: number;
  targetEvents: number;
  seed?: number;
  log?: (message: string) => void;
  /** Index of the first family: steps that add to one database use distinct ranges. */
  firstFamily?: number;
  /** Simulated days (default 540): families register during the first four fifths. */
  periodDays?: number;
  /** Families worked on at once (default 8). */
  concurrency?: number;
  /**
   * Days whose events of one stream go in one append, all recorded at the window's end
   * (default 14). One append costs about as much as twenty events in it, so this sets the speed;
   * recorded_at then trails occurredAt by up to the window.
   */
  windowDays?: number;
}

const ADMIN = { userId: 'bench-admin', name: 'Bench beheer', role: 'admin' };

/** TeamCreated for each team that does not exist yet; returns how many were appended. */
async function createTeams(infra: Infrastructure, teams: readonly TeamSpec[], now: Date) {
  let appended = 0;
  for (const spec of teams) {
    const { teamId, name, wijk, stadsdeel, postcodeAreas } = spec;
    const [event] = teamDecider.decide(
      { type: 'CreateTeam', teamId, profile: { name, wijk, stadsdeel }, postcodeAreas },
      teamDecider.initialState,
    );
    try {
      await infra.eventStore.appendToStream(
        `team-${spec.teamId}`,
        [
          {
            type: event.type,
            data: event.data,
            metadata: {
              eventId: new Random(0x7ea, appended, spec.teamId.charCodeAt(0)).uuid(),
              correlationId: spec.teamId,
              actor: ADMIN,
              occurredAt: now.toISOString(),
              municipality: infra.config.MUNICIPALITY,
            },
          },
        ],
        { expectedVersion: NO_STREAM },
      );
      appended += 1;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }
  return appended;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function summary(sim: FamilySim): GeneratedFamily {
  const plan = sim.plans.plan;
  const escalations = [...sim.escalations.values()];
  return {
    familyId: sim.familyId,
    teamId: sim.team.teamId,
    casusregisseurSub: plan?.regie?.casusregisseur?.professionalId ?? sim.casusregisseur.sub,
    memberIds: sim.members.map((m) => m.memberId),
    networkIds: [...sim.networkIds],
    currentMembers: sim.currentMembers().length,
    planStatus: plan?.status ?? null,
    openEscalationLevels: escalations
      .filter((e) => e.escalation?.status === 'open')
      .map((e) => e.escalation!.level),
    escalationIds: escalations.map((e) => e.id),
    events: sim.events,
  };
}

const person = ({ sub, name, organisation }: GeneratedProfessional) => ({
  sub,
  name,
  organisation,
});

/**
 * A synthetic, Almere-shaped data set, written through the app's own event store: SLT teams per
 * wijk, families of every age, case teams, plans that are agreed, carried out, changed and
 * closed, signals that climb the escalation ladder, regie and consents. Every event is decided by
 * the aggregates' own methods (so payloads are what the command handlers would write), personal
 * data and free texts are sealed through the vault as the handlers do, and the dev clock moves
 * through a simulated period day by day, so recorded_at spreads over it too. Families are
 * simulated side by side in time order; each day's events of a stream go in one append.
 */
export async function generateDataSet(
  infra: Infrastructure,
  options: GenerateOptions,
): Promise<DataSet> {
  const clock = infra.clock;
  if (!(clock instanceof AdjustableClock)) {
    throw new Error('generateDataSet needs development mode: it moves the AdjustableClock');
  }
  const seed = options.seed ?? 1;
  const firstFamily = options.firstFamily ?? 0;
  const periodDays = options.periodDays ?? 540;
  const windowDays = options.windowDays ?? 14;
  const windowMs = windowDays * DAY;
  const log = options.log ?? (() => undefined);
  const started = process.hrtime.bigint();

  // Days start at UTC midnight; the clock never goes back, so the period starts after now.
  const from = Math.ceil(clock.now().getTime() / DAY) * DAY;
  const periodEnd = from + periodDays * DAY;
  clock.set(new Date(from));
  const cast = almereCast();
  const municipality = loadMunicipalityConfig(
    infra.config.MUNICIPALITY,
    infra.config.MUNICIPALITY_CONFIG,
  );
  const world: SimWorld = {
    vault: infra.vault,
    ladder: new Ladder(new WorkingDayCalendar(municipality.calendar), municipality.escalation),
    cast,
    municipality: infra.config.MUNICIPALITY,
    maxActiveGoals: infra.config.MAX_ACTIVE_GOALS,
    periodEnd,
  };
  let events = await createTeams(infra, cast.teams, clock.now());

  // Budgets vary per family (log-normal, clipped) around the mean that meets the target.
  // 0.9: families past their budget go on more slowly rather than stop, which overshoots.
  const mean = Math.max(
    30,
    (0.9 * (options.targetEvents - events)) / Math.max(1, options.families),
  );
  const buckets = new Map<number, FamilySim[]>();
  const enqueue = (sim: FamilySim) => {
    const at = sim.nextSessionAt();
    if (at === undefined || at >= periodEnd) return;
    const window = Math.floor((at - from) / windowMs);
    const list = buckets.get(window) ?? [];
    list.push(sim);
    buckets.set(window, list);
  };
  const sims: FamilySim[] = [];
  const weights = cast.teams.map((t) => [t, t.weight] as const);
  for (let i = 0; i < options.families; i += 1) {
    const index = firstFamily + i;
    const rng = new Random(seed, index);
    const team = rng.weighted(weights);
    const registeredBy = rng.pick(team.professionals);
    const familyId = rng.uuid();
    const factor = Math.exp(0.5 * gaussian(rng)) / Math.exp(0.125);
    const budget = Math.round(mean * Math.min(2.5, Math.max(0.35, factor)));
    const sim = new FamilySim(index, familyId, team, registeredBy, rng, world, budget);
    sim.schedule(officeHours(from + rng.between(0, 0.8) * periodDays * DAY, rng), (now) =>
      registerFamily(sim, now),
    );
    sims.push(sim);
    enqueue(sim);
  }

  let lastLog = Date.now();
  let appends = 0;
  const concurrency = options.concurrency ?? 8;
  const windows = Math.ceil(periodDays / windowDays);
  for (let window = 0; window < windows; window += 1) {
    const due = buckets.get(window);
    if (!due) continue;
    buckets.delete(window);
    const windowEnd = Math.min(periodEnd, from + (window + 1) * windowMs);
    // Everything decided in the window is recorded at its end: recorded_at >= occurredAt.
    clock.set(new Date(windowEnd));
    await inParallel(due, concurrency, async (sim) => {
      await sim.runUntil(windowEnd);
      const flushed = await sim.flush(infra.eventStore);
      events += flushed.events;
      appends += flushed.appends;
      enqueue(sim);
    });
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      log(
        `generator: day ${(window + 1) * windowDays}/${periodDays}, ${events} of ~${options.targetEvents} events, ` +
          `${Math.round(events / seconds)} events/s`,
      );
    }
  }
  clock.set(new Date(periodEnd));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log(
    `generator: ${events} events (${appends} appends), ${sims.length} families in ` +
      `${seconds.toFixed(1)} s: ${Math.round(events / seconds)} events/s`,
  );
  return {
    teams: cast.teams.map((t) => ({
      teamId: t.teamId,
      wijk: t.wijk,
      name: t.name,
      stadsdeel: t.stadsdeel,
      postcodeAreas: t.postcodeAreas,
      professionals: t.professionals.map(person),
      teamLead: person(t.teamLead),
    })),
    families: sims.map(summary),
    events,
    simulatedFrom: new Date(from).toISOString(),
    simulatedUntil: clock.now().toISOString(),
    seconds,
    eventsPerSecond: events / seconds,
    appends,
  };
}
