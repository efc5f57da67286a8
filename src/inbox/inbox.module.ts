import { Module } from '@nestjs/common';
import { EscalationsModule } from '../escalations/escalations.module.js';
import { InboxController } from './inbox.controller.js';
import { InboxQuery } from './inbox.query.js';

@Module({
  imports: [EscalationsModule],
  controllers: [InboxController],
  providers: [InboxQuery],
})
export class InboxModule {}
