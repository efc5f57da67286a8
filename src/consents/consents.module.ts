import { Module } from '@nestjs/common';
import {
  ConsentCommandService,
  GrantConsentHandler,
  WithdrawConsentHandler,
} from './consent.commands.js';
import { ConsentsController } from './consents.controller.js';

@Module({
  controllers: [ConsentsController],
  providers: [ConsentCommandService, GrantConsentHandler, WithdrawConsentHandler],
})
export class ConsentsModule {}
