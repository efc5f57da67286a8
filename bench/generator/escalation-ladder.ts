import {
  EscalationType,
  type EscalationAggregate,
  type NewDecision,
} from '../../src/escalations/escalation.aggregate.js';
import { MAATWERK_KINDS, type SignalCategory } from '../../src/escalations/escalation.model.js';
import { PARTNERS } from './almere.js';
import { actorOf, holderOf, type FamilySim } from './family-sim.js';
import type { Professional } from './professionals.js';
import { DAY, before, dateOf, officeHours } from './time.js';

/** How far up the ladder a signal goes before it is resolved (or withdrawn). */
type Path = 'resolve0' | 'withdraw0' | 'level1' | 'level2';

interface Climb {
  readonly path: Path;
  /** Who holds the current level (the casusregisseur at level 0). */
  holder: Professional;
}

const climbs = new WeakMap<EscalationAggregate, Climb>();

const CATEGORIES: ReadonlyArray<readonly [SignalCategory, number]> = [
  ['agreements_not_kept', 0.25],
  ['professional_disagreement', 0.12],
  ['no_fitting_provision', 0.2],
  ['waiting_list', 0.2],
  ['family_disengaged', 0.13],
  ['safety', 0.05],
  ['other', 0.05],
];

const JUSTIFICATION =
  'Geen enkele voorziening past op zichzelf; door wonen, schulden en opvoeding samen te nemen ' +
  'ontstaat een aanpak die werkt. Deze afwijking van de standaard is tijdelijk en begrensd.';

const ctxOf = (sim: FamilySim, now: Date) => ({ now, ladder: sim.world.ladder });

/** Signals during the plan's life, raised by the casusregisseur at moments of stagnation. */
export function planEscalations(sim: FamilySim, agreedAt: Date, count: number): void {
  const { rng } = sim;
  for (let i = 0; i < count; i += 1) {
    const from = agreedAt.getTime() + 7 * DAY;
    const to = sim.spanEnd - 20 * DAY;
    if (to <= from) return;
    sim.pendingEscalations += 1;
    sim.schedule(officeHours(rng.between(from, to), rng), (now) => {
      sim.pendingEscalations -= 1;
      return raise(sim, now);
    });
  }
}

async function raise(sim: FamilySim, now: Date): Promise<void> {
  const plan = sim.plans.plan;
  if (!plan || plan.status === 'closed') return;
  const { rng } = sim;
  const category = rng.weighted(CATEGORIES);
  const path: Path =
    category === 'safety'
      ? rng.chance(0.7)
        ? 'level1'
        : 'level2'
      : rng.weighted<Path>([
          ['resolve0', 0.45],
          ['withdraw0', 0.12],
          ['level1', 0.28],
          ['level2', 0.15],
        ]);
  const casus = sim.casusregisseur;
  const e = EscalationType.create(rng.uuid());
  const description = await sim.seal(sim.familyId, `Stagnatie: ${category.replace(/_/g, ' ')}`);
  sim.onEscalation(e, actorOf(casus), now, (x) =>
    x.raise(
      {
        familyId: sim.familyId,
        teamId: sim.team.teamId,
        signalId: rng.uuid(),
        category,
        description,
        automatic: false,
        cause: null,
        raisedBy: casus.sub,
        holder: holderOf(casus),
        confidentiality: category === 'safety' ? 'restricted' : 'case_team',
      },
      ctxOf(sim, now),
    ),
  );
  sim.escalations.set(e.id, e);
  climbs.set(e, { path, holder: casus });
  sim.schedule(before(now.getTime(), e.escalation!.deadlines.respondBy, rng, 0.05, 0.5), (at) =>
    acknowledge(sim, e, at),
  );
}

const isOpen = (e: EscalationAggregate) => e.escalation?.status === 'open';

function acknowledge(sim: FamilySim, e: EscalationAggregate, now: Date): void {
  if (!isOpen(e)) return;
  const climb = climbs.get(e)!;
  sim.onEscalation(e, actorOf(climb.holder), now, (x) => x.acknowledge(ctxOf(sim, now)));
  nextStep(sim, e, now);
}

/** Schedules the next step of the ladder, always before the deadline of the current level. */
function nextStep(sim: FamilySim, e: EscalationAggregate, now: Date): void {
  const { rng } = sim;
  const { path } = climbs.get(e)!;
  const { level, deadlines, respondedAt, decision } = e.escalation!;
  const t = now.getTime();
  if (!respondedAt) {
    sim.schedule(before(t, deadlines.respondBy, rng, 0.1, 0.5), (at) => appoint(sim, e, at));
    return;
  }
  const target = path === 'level2' ? 2 : path === 'level1' ? 1 : 0;
  if (level < target) {
    sim.schedule(before(t, deadlines.resolveBy, rng, 0.15, 0.6), (at) => escalate(sim, e, at));
  } else if (level === 2 && !decision) {
    sim.schedule(before(t, deadlines.resolveBy, rng, 0.2, 0.7), (at) => decide(sim, e, at));
  } else if (level < 2) {
    const close = path === 'withdraw0' ? withdraw : resolve;
    sim.schedule(before(t, deadlines.resolveBy, rng, 0.25, 0.85), (at) => close(sim, e, at));
  }
}

async function escalate(sim: FamilySim, e: EscalationAggregate, now: Date): Promise<void> {
  if (!isOpen(e)) return;
  const climb = climbs.get(e)!;
  const { level, familyId } = e.escalation!;
  const reason = await sim.seal(familyId, 'Onvoldoende voortgang binnen de termijn van dit niveau');
  // A procesregisseur the family already has takes level 1 at once (nextHolder).
  const standing = level === 0 ? sim.procesregisseur : null;
  sim.onEscalation(e, actorOf(climb.holder), now, (x) =>
    x.escalate(reason, standing ? holderOf(standing) : null, false, ctxOf(sim, now)),
  );
  if (standing) climb.holder = standing;
  nextStep(sim, e, now);
}

function appoint(sim: FamilySim, e: EscalationAggregate, now: Date): void {
  if (!isOpen(e)) return;
  const { rng } = sim;
  const climb = climbs.get(e)!;
  const level = e.escalation!.level;
  const pool = level === 1 ? sim.world.cast.procesregisseurs : sim.world.cast.brandpunt;
  const holder = rng.pick(pool.filter((p) => p.sub !== e.escalation!.holder?.professionalId));
  const lead = actorOf(sim.team.teamLead);
  // Pool members never join case teams nor hold actions: independent by construction.
  sim.onEscalation(e, lead, now, (x) =>
    x.appoint(holderOf(holder), { onCaseTeam: false, holdsAction: false }, ctxOf(sim, now)),
  );
  climb.holder = holder;
  const plan = sim.plans.plan;
  if (level === 1 && !sim.procesregisseur && plan && plan.status !== 'closed' && rng.chance(0.5)) {
    sim.onPlan(lead, now, (p) =>
      p.assignRegie('procesregie', holderOf(holder), {
        family: sim.familyContext(),
        now,
        actorId: sim.team.teamLead.sub,
        maxActiveGoals: sim.world.maxActiveGoals,
      }),
    );
    sim.procesregisseur = holder;
  }
  nextStep(sim, e, now);
}

/** The brandpuntfunctionaris decides maatwerk with directives to organisations. */
async function decide(sim: FamilySim, e: EscalationAggregate, now: Date): Promise<void> {
  if (!isOpen(e)) return;
  const { rng, familyId } = sim;
  const climb = climbs.get(e)!;
  const t = now.getTime();
  const organisations = [
    ...new Set([
      ...sim.caseTeam.filter((p) => p.lifeDomains).map((p) => p.organisation),
      rng.pick(PARTNERS).organisation,
    ]),
  ];
  const directives: NewDecision['directives'] = [];
  for (const organisation of rng.sample(organisations, rng.int(1, 3))) {
    directives.push({
      directiveId: rng.uuid(),
      organisation,
      description: await sim.seal(familyId, `Binnen de termijn uitvoeren door ${organisation}`),
      dueDate: dateOf(t + rng.between(14, 40) * DAY),
    });
  }
  const solution = await sim.seal(familyId, 'Combinatie van woonbegeleiding en schuldregeling');
  const justification = await sim.seal(familyId, JUSTIFICATION);
  sim.onEscalation(e, actorOf(climb.holder), now, (x) =>
    x.decide(
      {
        solution,
        maatwerk: rng.pick(MAATWERK_KINDS),
        justification,
        budgetEuros: rng.chance(0.6) ? rng.int(5, 200) * 100 : null,
        directives,
      },
      climb.holder.sub,
      ctxOf(sim, now),
    ),
  );
  let last = t;
  for (const d of directives) {
    const due = Date.parse(`${d.dueDate}T00:00:00Z`);
    const at = t + rng.between(0.3, 0.9) * (due - t);
    last = Math.max(last, at);
    sim.schedule(at, (when) => {
      if (!isOpen(e)) return;
      const by = sim.caseTeam.find((p) => p.organisation === d.organisation) ?? climb.holder;
      sim.onEscalation(e, actorOf(by), when, (x) =>
        x.completeDirective(d.directiveId, ctxOf(sim, when)),
      );
    });
  }
  sim.schedule(officeHours(last + rng.between(1, 5) * DAY, rng), (at) => resolve(sim, e, at));
}

async function resolve(sim: FamilySim, e: EscalationAggregate, now: Date): Promise<void> {
  if (!isOpen(e)) return;
  const outcome = await sim.seal(sim.familyId, 'Opgelost: passende hulp is gestart');
  sim.onEscalation(e, actorOf(climbs.get(e)!.holder), now, (x) =>
    x.resolve(outcome, ctxOf(sim, now)),
  );
}

async function withdraw(sim: FamilySim, e: EscalationAggregate, now: Date): Promise<void> {
  if (!isOpen(e)) return;
  const reason = await sim.seal(sim.familyId, 'Signaal ingetrokken na overleg met het gezin');
  sim.onEscalation(e, actorOf(climbs.get(e)!.holder), now, (x) =>
    x.withdraw(reason, ctxOf(sim, now)),
  );
}

/** Before a plan closes, its open escalations are withdrawn by the casusregisseur. */
export async function closeOpenEscalations(sim: FamilySim, now: Date): Promise<void> {
  for (const e of sim.escalations.values()) {
    if (!isOpen(e)) continue;
    const reason = await sim.seal(sim.familyId, 'Casus afgesloten');
    sim.onEscalation(e, actorOf(sim.casusregisseur), now, (x) =>
      x.withdraw(reason, ctxOf(sim, now)),
    );
  }
}
