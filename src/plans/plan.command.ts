import { Command } from '@nestjs/cqrs';
import type { PlanCommandInput } from './plan-command.service.js';

/** Base of every plan command: who, which family, and the request's body. */
export abstract class PlanCommand<Body, Result> extends Command<Result> {
  constructor(
    readonly input: PlanCommandInput,
    readonly body: Body,
  ) {
    super();
  }
}
