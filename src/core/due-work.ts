import { Inject, Injectable } from '@nestjs/common';
import { ProjectionRunner } from '#libs/projections/projection-runner.js';
import { TimerService } from '#libs/timers/timer-service.js';

/** A fired timer may cause events that schedule further timers: settle at most this often. */
const MAX_ROUNDS = 20;

/**
 * Processes everything that is due now: brings the timers up to date with every committed
 * event, fires the due ones, and repeats while firing caused more. The dev clock calls this
 * so that moving time has its effects before the response returns (api.md).
 */
@Injectable()
export class DueWork {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(TimerService) private readonly timers: TimerService,
  ) {}

  async process(): Promise<number> {
    let fired = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      await this.runner.catchUp('timers');
      const now = await this.timers.runDue();
      if (now === 0) break;
      fired += now;
    }
    return fired;
  }
}
