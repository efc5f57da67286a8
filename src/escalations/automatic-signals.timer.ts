import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '#libs/clock/index.js';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { PlanStates } from '../plans/plan-states.js';
import type { PlanEvent } from '../plans/plan.events.js';
import { regieOf, type Plan } from '../plans/plan.model.js';
import type { SignalCategory } from './escalation.model.js';
import { LADDER, type Ladder } from './ladder.js';
import { SignalRaiser } from './raise-signal.command.js';

const KIND = 'escalation.automatic-signal';
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

type Check = 'plan-not-agreed' | 'no-progress' | 'action-overdue' | 'regie-vacant';

interface Payload {
  familyId: string;
  planId: string;
  check: Check;
  actionId?: string;
}

const familyIdOf = (streamId: string) => streamId.slice('gezinsplan-'.length);

/**
 * Schedules the moments at which the system looks for stagnation in a plan (escalation.md,
 * "Raised automatically"): an action 10 working days overdue, a plan not agreed 6 weeks after
 * opening, 8 weeks without progress, casusregie vacant for 5 working days.
 */
@Injectable()
export class AutomaticSignalRule implements TimerRule {
  readonly eventTypes = [
    'gezinsplan.PlanOpened',
    'gezinsplan.PlanAgreed',
    'gezinsplan.ProgressNoteAdded',
    'gezinsplan.ActionAdded',
    'gezinsplan.ActionCompleted',
    'gezinsplan.CasusregieVacant',
    'gezinsplan.RegieAssigned',
    'gezinsplan.PlanClosed',
  ];

  constructor(@Inject(LADDER) private readonly ladder: Ladder) {}

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & PlanEvent;
    const familyId = familyIdOf(recorded.streamId);
    const { planId } = event.data;
    const c = this.ladder.config;
    const at = (check: Check, dueAt: Date, actionId?: string) =>
      timers.schedule({
        timerId: `${check}:${actionId ?? planId}`,
        kind: KIND,
        dueAt,
        payload: { familyId, planId, check, ...(actionId ? { actionId } : {}) },
      });
    const after = (iso: string, weeks: number) => new Date(Date.parse(iso) + weeks * WEEK_MS);
    switch (event.type) {
      case 'gezinsplan.PlanOpened':
        return at('plan-not-agreed', after(event.data.openedAt, c.planNotAgreedWeeks));
      case 'gezinsplan.PlanAgreed':
        await timers.cancel(`plan-not-agreed:${planId}`);
        return at('no-progress', after(event.data.agreedAt, c.noProgressWeeks));
      case 'gezinsplan.ProgressNoteAdded':
        return at('no-progress', after(event.data.note.writtenAt, c.noProgressWeeks));
      case 'gezinsplan.ActionAdded': {
        const { actionId, dueDate } = event.data.action;
        const overdueFrom = new Date(`${dueDate}T00:00:00Z`);
        return at(
          'action-overdue',
          this.ladder.workingDaysAfter(overdueFrom, c.actionOverdueDays),
          actionId,
        );
      }
      case 'gezinsplan.ActionCompleted':
        await timers.cancel(`action-overdue:${event.data.actionId}`);
        return at('no-progress', after(event.data.completedAt, c.noProgressWeeks));
      case 'gezinsplan.CasusregieVacant':
        return at(
          'regie-vacant',
          this.ladder.workingDaysAfter(new Date(event.data.since), c.regieVacantDays),
        );
      case 'gezinsplan.RegieAssigned':
        if (event.data.role === 'casusregie') await timers.cancel(`regie-vacant:${planId}`);
        return;
      case 'gezinsplan.PlanClosed':
        for (const check of ['plan-not-agreed', 'no-progress', 'regie-vacant']) {
          await timers.cancel(`${check}:${planId}`);
        }
        return;
    }
  }
}

/** Looks at the plan as it is now and raises the signal once per cause if it still holds. */
@Injectable()
export class AutomaticSignalHandler implements TimerHandler {
  readonly kind = KIND;

  constructor(
    @Inject(PlanStates) private readonly plans: PlanStates,
    @Inject(SignalRaiser) private readonly signals: SignalRaiser,
    @Inject(LADDER) private readonly ladder: Ladder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const payload = timer.payload as unknown as Payload;
    const plan = await this.plans.latest(payload.familyId);
    if (!plan || plan.planId !== payload.planId || plan.status === 'closed') return;
    const signal = this.stagnation(plan, payload);
    if (!signal) return;
    await this.signals.raiseOnce({ familyId: payload.familyId, ...signal }, systemContext(timer));
  }

  private stagnation(
    plan: Plan,
    { check, actionId }: Payload,
  ): { category: SignalCategory; description: string; cause: string } | undefined {
    const c = this.ladder.config;
    switch (check) {
      case 'plan-not-agreed':
        if (plan.firstAgreedAt !== null) return undefined;
        return {
          category: 'agreements_not_kept',
          description: `Het gezinsplan is ${c.planNotAgreedWeeks} weken na opening nog niet akkoord.`,
          cause: `plan-not-agreed:${plan.planId}`,
        };
      case 'no-progress': {
        const since = plan.lastProgressAt;
        const due = since ? Date.parse(since) + c.noProgressWeeks * WEEK_MS : Infinity;
        if (plan.firstAgreedAt === null || !since || this.clock.now().getTime() < due)
          return undefined;
        return {
          category: 'agreements_not_kept',
          description: `Geen voortgangsnotitie of afgeronde actie sinds ${since.slice(0, 10)}.`,
          cause: `no-progress:${plan.planId}:${since}`,
        };
      }
      case 'action-overdue': {
        const action = plan.actions.find((a) => a.actionId === actionId);
        if (!action || action.status !== 'open') return undefined;
        return {
          category: 'agreements_not_kept',
          description: `Een actie is ${c.actionOverdueDays} werkdagen over haar einddatum (${action.dueDate}).`,
          cause: `action-overdue:${action.actionId}`,
        };
      }
      case 'regie-vacant': {
        const { casusregisseur, casusregieVacantSince } = regieOf(plan);
        if (casusregisseur || !casusregieVacantSince) return undefined;
        return {
          category: 'regie_vacant',
          description: `Casusregie is vacant sinds ${casusregieVacantSince.slice(0, 10)}.`,
          cause: `regie-vacant:${plan.planId}:${casusregieVacantSince}`,
        };
      }
    }
  }
}
