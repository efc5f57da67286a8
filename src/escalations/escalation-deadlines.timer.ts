import { Inject, Injectable } from '@nestjs/common';
import type { RecordedEvent } from '#libs/event-store/event-envelope.js';
import { systemContext } from '#libs/timers/system-context.js';
import type { DueTimer, TimerHandler, TimerOps, TimerRule } from '#libs/timers/timer.js';
import { EscalationCommandService } from './escalation-command.service.js';
import { decideEscalation, directiveDue } from './escalation.decide.js';
import type { EscalationEvent } from './escalation.events.js';
import type { Deadlines } from './escalation.model.js';

const DEADLINE = 'escalation.deadline';
const DIRECTIVE = 'escalation.directive-due';
const deadlineTimer = (id: string, which: keyof Deadlines) => `escalation:${id}:${which}`;
const directiveTimer = (id: string, directiveId: string) => `directive:${id}:${directiveId}`;
/** A directive is due at the end of its due date. */
const endOf = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 60 * 60 * 1000);

/** Keeps a timer on each open deadline of every escalation and on each open directive. */
@Injectable()
export class EscalationDeadlineRule implements TimerRule {
  readonly eventTypes = [
    'escalation.SignalRaised',
    'escalation.Escalated',
    'escalation.Reopened',
    'escalation.Acknowledged',
    'escalation.HolderAppointed',
    'escalation.DecisionTaken',
    'escalation.DirectiveCompleted',
    'escalation.Resolved',
    'escalation.Withdrawn',
  ];

  async on(recorded: RecordedEvent, timers: TimerOps): Promise<void> {
    const event = recorded as unknown as RecordedEvent & EscalationEvent;
    const id = event.data.escalationId;
    const schedule = (which: keyof Deadlines, dueAt: string) =>
      timers.schedule({
        timerId: deadlineTimer(id, which),
        kind: DEADLINE,
        dueAt: new Date(dueAt),
        payload: { escalationId: id, which },
      });
    switch (event.type) {
      case 'escalation.SignalRaised':
      case 'escalation.Escalated':
      case 'escalation.Reopened': {
        const { deadlines } = event.data;
        const held = event.type === 'escalation.Escalated' && event.data.holder !== null;
        await (held
          ? timers.cancel(deadlineTimer(id, 'respondBy'))
          : schedule('respondBy', deadlines.respondBy));
        return schedule('resolveBy', deadlines.resolveBy);
      }
      case 'escalation.Acknowledged':
      case 'escalation.HolderAppointed':
        return timers.cancel(deadlineTimer(id, 'respondBy'));
      case 'escalation.DecisionTaken':
        await timers.cancel(deadlineTimer(id, 'resolveBy'));
        for (const d of event.data.directives) {
          await timers.schedule({
            timerId: directiveTimer(id, d.directiveId),
            kind: DIRECTIVE,
            dueAt: endOf(d.dueDate),
            payload: { escalationId: id, directiveId: d.directiveId },
          });
        }
        return;
      case 'escalation.DirectiveCompleted':
        return timers.cancel(directiveTimer(id, event.data.directiveId));
      case 'escalation.Resolved':
      case 'escalation.Withdrawn':
        await timers.cancel(deadlineTimer(id, 'respondBy'));
        return timers.cancel(deadlineTimer(id, 'resolveBy'));
    }
  }
}

/** A deadline passed: below the top the ladder moves up by itself; at the top it is recorded. */
@Injectable()
export class EscalationDeadlineHandler implements TimerHandler {
  readonly kind = DEADLINE;

  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { escalationId, which } = timer.payload as {
      escalationId: string;
      which: keyof Deadlines;
    };
    const e = await this.service.load(escalationId);
    if (!e) return;
    const next = await this.service.nextHolder(e);
    const command = {
      type: 'PassDeadline' as const,
      which,
      dueAt: timer.dueAt.toISOString(),
      nextHolder: next,
    };
    // The pipeline refuses a command that decides nothing: a timer the ladder has passed by
    // (met, moved on, recorded) is no command at all.
    if (decideEscalation(command, { escalation: e }, this.service.context()).length === 0) return;
    await this.service.pipe(escalationId, systemContext(timer), async () => ({
      familyId: e.familyId,
      command,
    }));
  }
}

/** An open directive passed its date: the brandpuntfunctionaris is alerted, once. */
@Injectable()
export class DirectiveDueHandler implements TimerHandler {
  readonly kind = DIRECTIVE;

  constructor(
    @Inject(EscalationCommandService) private readonly service: EscalationCommandService,
  ) {}

  async fire(timer: DueTimer): Promise<void> {
    const { escalationId, directiveId } = timer.payload as {
      escalationId: string;
      directiveId: string;
    };
    const e = await this.service.load(escalationId);
    if (!e || directiveDue({ escalation: e }, directiveId).length === 0) return;
    await this.service.pipe(escalationId, systemContext(timer), async () => ({
      familyId: e.familyId,
      command: { type: 'DirectiveDue', directiveId },
    }));
  }
}
