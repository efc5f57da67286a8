import { Module } from '@nestjs/common';
import { EscalationsModule } from '../escalations/escalations.module.js';
import { InboxCasesProjection } from './inbox-cases.projection.js';
import { InboxConcernsProjection } from './inbox-concerns.projection.js';
import { InboxController } from './inbox.controller.js';
import { InboxQuery } from './inbox.query.js';

@Module({
  imports: [EscalationsModule],
  controllers: [InboxController],
  providers: [InboxQuery, InboxCasesProjection, InboxConcernsProjection],
  exports: [InboxCasesProjection, InboxConcernsProjection],
})
export class InboxModule {}
