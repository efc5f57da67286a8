import { Module } from '@nestjs/common';
import { GrantConsentHandler, WithdrawConsentHandler } from './consent.commands.js';
import { ConsentsController } from './consents.controller.js';

@Module({
  controllers: [ConsentsController],
  providers: [GrantConsentHandler, WithdrawConsentHandler],
})
export class ConsentsModule {}
