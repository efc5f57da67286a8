import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { AssignRegieHandler } from './assign-regie.command.js';
import { RegieController } from './regie.controller.js';

@Module({
  imports: [PlansModule],
  controllers: [RegieController],
  providers: [AssignRegieHandler],
})
export class RegieModule {}
