import { Module } from '@nestjs/common';
import { EscalationsModule } from '../escalations/escalations.module.js';
import { InboxCasesProjection } from './inbox-cases.projection.js';
import { InboxController } from './inbox.controller.js';
import { InboxQuery } from './inbox.query.js';

@Module({
  imports: [EscalationsModule],
  controllers: [InboxController],
  providers: [InboxQuery, InboxCasesProjection],
  exports: [InboxCasesProjection],
})
export class InboxModule {}
