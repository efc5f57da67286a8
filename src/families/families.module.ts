import { Global, Module } from '@nestjs/common';
import { FamilyActors } from './family-actors.js';
import { FamilyStates } from './family-states.js';
import { AddMemberHandler } from './add-member.handler.js';
import { AddNetworkMemberHandler } from './add-network-member.handler.js';
import { CameOfAgeProjection } from './came-of-age.projection.js';
import { ChangeAddressHandler } from './change-address.handler.js';
import { FamilyAddressController } from './family-address.controller.js';
import { FamiliesController } from './families.controller.js';
import { FamilyViewQuery } from './family-view.query.js';
import { FamilyEscalationHoldersProjection } from './family-escalation-holders.projection.js';
import { FamilyProjection } from './family.projection.js';
import { JoinCaseTeamHandler } from './join-case-team.handler.js';
import { RecordDepartureHandler } from './record-departure.handler.js';
import { RegisterFamilyHandler } from './register-family.handler.js';

/** Every capability that acts on a family asks FamilyActors, so it is global. */
@Global()
@Module({
  controllers: [FamiliesController, FamilyAddressController],
  providers: [
    FamilyActors,
    FamilyStates,
    RegisterFamilyHandler,
    AddMemberHandler,
    RecordDepartureHandler,
    AddNetworkMemberHandler,
    JoinCaseTeamHandler,
    ChangeAddressHandler,
    FamilyViewQuery,
    FamilyProjection,
    CameOfAgeProjection,
    FamilyEscalationHoldersProjection,
  ],
  exports: [
    FamilyActors,
    FamilyStates,
    FamilyProjection,
    CameOfAgeProjection,
    FamilyEscalationHoldersProjection,
    FamilyViewQuery,
  ],
})
export class FamiliesModule {}
