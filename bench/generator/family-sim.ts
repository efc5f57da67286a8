import type {
  DomainEvent,
  EventSourcedAggregate,
} from '#libs/aggregates/event-sourced-aggregate.js';
import type { Actor, EventMetadata, NewEvent } from '#libs/event-store/event-envelope.js';
import type { EventStore } from '#libs/event-store/event-store.port.js';
import { NO_STREAM } from '#libs/event-store/expected-version.js';
import type { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { EscalationAggregate } from '../../src/escalations/escalation.aggregate.js';
import type { Ladder } from '../../src/escalations/ladder.js';
import { FamilyType, type Family } from '../../src/families/family.aggregate.js';
import type { FamilyContext } from '../../src/plans/agreement.js';
import { GezinsplanType, type Gezinsplan } from '../../src/plans/plan.aggregate.js';
import type { MemberRole } from '../../src/families/family.events.js';
import type { RegieHolder } from '../../src/kernel/regie.js';
import type { Professional, TeamSpec, Cast } from './professionals.js';
import type { Random } from './random.js';
import type { Sealed } from '#libs/personal-data/sealed.js';
import type { DecisionContext } from '../../src/plans/plan.decide.js';

type AnyAggregate = EventSourcedAggregate<unknown, DomainEvent>;

/** What the simulation knows in plain text about a member (the events hold it sealed). */
export interface SimMember {
  readonly memberId: string;
  readonly role: MemberRole;
  readonly dateOfBirth: string;
  status: 'current' | 'departed';
}

/** One aggregate's stream and the metadata of the events decided on it since the last flush. */
class StreamBuffer {
  readonly metadata: EventMetadata[] = [];
  constructor(
    readonly streamId: string,
    readonly aggregate: AnyAggregate,
  ) {}
}

export interface ActOptions {
  readonly onBehalfOf?: string;
  readonly causationId?: string;
}

/** Shared by every family of a run. */
export interface SimWorld {
  readonly vault: PersonalDataVault;
  readonly ladder: Ladder;
  readonly cast: Cast;
  readonly municipality: string;
  readonly maxActiveGoals: number;
  readonly periodEnd: number;
}

export const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  name: 'Eén gezin, één plan',
  role: 'system',
};

export const actorOf = (p: Professional): Actor => ({
  userId: p.sub,
  name: p.name,
  organisation: p.organisation,
  role: 'professional',
});

export const holderOf = (p: Professional): RegieHolder => ({
  professionalId: p.sub,
  name: p.name,
  organisation: p.organisation,
});

export interface Session {
  readonly at: number;
  readonly run: (now: Date) => Promise<void> | void;
}

/**
 * One family's world: its aggregates (decided on by their own methods, so every payload is what
 * the product would write), what the simulation knows in plain text, and its agenda of sessions.
 */
export class FamilySim {
  readonly family: Family;
  readonly plans: Gezinsplan;
  readonly escalations = new Map<string, EscalationAggregate>();
  readonly members: SimMember[] = [];
  readonly networkIds: string[] = [];
  readonly caseTeam: Professional[] = [];
  casusregisseur: Professional;
  procesregisseur: Professional | null = null;
  /** Events decided so far (flushed or not). */
  events = 0;
  /** Planned completion moment of each open action (by id). */
  readonly actionPlans = new Map<string, number>();
  /** Set at first agreement: until when progress is recorded, and how often. */
  spanEnd = 0;
  spacing = 0;
  /** Progress sessions so far and the events they decided: how far a session gets you. */
  progressSessions = 0;
  progressEvents = 0;
  /** Escalations planned but not raised yet (their events are still to come). */
  pendingEscalations = 0;
  private readonly agenda: Session[] = [];
  private readonly buffers = new Map<AnyAggregate, StreamBuffer>();
  private readonly touched: StreamBuffer[] = [];

  constructor(
    readonly index: number,
    readonly familyId: string,
    readonly team: TeamSpec,
    readonly registeredBy: Professional,
    readonly rng: Random,
    readonly world: SimWorld,
    /** Events this family should have in all, roughly. */
    readonly budget: number,
  ) {
    this.family = FamilyType.create(familyId);
    this.plans = GezinsplanType.create(familyId);
    this.casusregisseur = registeredBy;
  }

  /** Adds a session to the agenda (kept in time order). */
  schedule(moment: number, run: Session['run']): void {
    // Whole milliseconds: a session runs with new Date(at), which would drop a fraction.
    const at = Math.ceil(moment);
    let i = this.agenda.length;
    while (i > 0 && this.agenda[i - 1].at > at) i -= 1;
    this.agenda.splice(i, 0, { at, run });
  }

  nextSessionAt(): number | undefined {
    return this.agenda[0]?.at;
  }

  /** Runs every session due before `until`, in order, including ones they schedule. */
  async runUntil(until: number): Promise<void> {
    while (this.agenda.length > 0 && this.agenda[0].at < until) {
      const session = this.agenda.shift()!;
      if (session.at >= this.world.periodEnd) continue;
      await session.run(new Date(session.at));
    }
  }

  /**
   * Lets `decide` call aggregate methods and stamps the events they applied with metadata of
   * this moment and actor, ready to be appended.
   */
  act(
    aggregate: AnyAggregate,
    streamId: string,
    actor: Actor,
    now: Date,
    decide: () => void,
    options: ActOptions = {},
  ): void {
    let buffer = this.buffers.get(aggregate);
    if (!buffer) {
      buffer = new StreamBuffer(streamId, aggregate);
      this.buffers.set(aggregate, buffer);
    }
    const before = aggregate.getUncommittedEvents().length;
    decide();
    const added = aggregate.getUncommittedEvents().length - before;
    if (added === 0) return;
    if (buffer.metadata.length === 0) this.touched.push(buffer);
    const correlationId = this.rng.uuid();
    for (let i = 0; i < added; i += 1) {
      buffer.metadata.push({
        eventId: this.rng.uuid(),
        correlationId,
        ...(options.causationId ? { causationId: options.causationId } : {}),
        actor,
        ...(options.onBehalfOf ? { onBehalfOf: options.onBehalfOf } : {}),
        occurredAt: now.toISOString(),
        municipality: this.world.municipality,
      });
    }
    this.events += added;
  }

  onFamily(actor: Actor, now: Date, decide: (f: Family) => void, options?: ActOptions) {
    this.act(
      this.family,
      `family-${this.familyId}`,
      actor,
      now,
      () => decide(this.family),
      options,
    );
  }

  onPlan(
    actor: Actor,
    now: Date,
    decide: (p: Gezinsplan, ctx: DecisionContext) => void,
    options?: ActOptions,
  ) {
    this.act(
      this.plans,
      `gezinsplan-${this.familyId}`,
      actor,
      now,
      () =>
        decide(this.plans, {
          family: this.familyContext(),
          now,
          actorId: actor.userId,
          maxActiveGoals: this.world.maxActiveGoals,
        }),
      options,
    );
  }

  onEscalation(
    e: EscalationAggregate,
    actor: Actor,
    now: Date,
    decide: (e: EscalationAggregate) => void,
    options?: ActOptions,
  ) {
    this.act(e, `escalation-${e.id}`, actor, now, () => decide(e), options);
  }

  /**
   * Appends what was decided since the last flush: one append per stream, in the order the
   * streams were first touched, each with the concurrency check of the loaded version.
   */
  async flush(store: EventStore): Promise<{ events: number; appends: number }> {
    let appended = 0;
    let appends = 0;
    for (const buffer of this.touched.splice(0)) {
      const { aggregate, metadata } = buffer;
      const pending = aggregate.getUncommittedEvents();
      const events: NewEvent[] = pending.map((e, i) => ({
        type: e.type,
        data: e.data,
        metadata: metadata[i],
      }));
      const result = await store.appendToStream(buffer.streamId, events, {
        expectedVersion: aggregate.version < 0 ? NO_STREAM : aggregate.version,
      });
      aggregate.version = result.nextExpectedVersion;
      aggregate.uncommit();
      metadata.length = 0;
      appended += events.length;
      appends += 1;
    }
    return { events: appended, appends };
  }

  /** The plan rules' view of the family, from the plain-text copy (no vault round trips). */
  familyContext(): FamilyContext {
    return {
      members: this.members.map(({ memberId, role, status, dateOfBirth }) => ({
        memberId,
        role,
        status,
        dateOfBirth,
      })),
      networkIds: this.networkIds,
      caseTeam: this.caseTeam.map(({ sub, organisation, name }) => ({
        professionalId: sub,
        organisation,
        name,
      })),
    };
  }

  currentMembers(): SimMember[] {
    return this.members.filter((m) => m.status === 'current');
  }

  isOnCaseTeam(sub: string): boolean {
    return this.caseTeam.some((p) => p.sub === sub);
  }

  seal(subjectId: string, value: unknown): Promise<Sealed> {
    return this.world.vault.seal(subjectId, value);
  }
}
