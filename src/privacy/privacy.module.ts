import { Global, Module } from '@nestjs/common';
import { PrivacyLens } from './privacy-lens.js';

/** The lens every read of a family goes through (available to every capability). */
@Global()
@Module({ providers: [PrivacyLens], exports: [PrivacyLens] })
export class PrivacyModule {}
