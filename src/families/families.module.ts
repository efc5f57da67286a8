import { Global, Module } from '@nestjs/common';
import { FamilyActors } from './family-actors.js';
import { FamilyStates } from './family-states.js';
import { AddMemberHandler } from './add-member.command.js';
import { AddNetworkMemberHandler } from './add-network-member.command.js';
import { CameOfAgeProjection } from './came-of-age.projection.js';
import { ChangeAddressHandler } from './change-address.command.js';
import { FamilyAddressController } from './family-address.controller.js';
import { FamiliesController } from './families.controller.js';
import { FamilyViewQuery } from './family-view.query.js';
import { FamilyEscalationHoldersProjection } from './family-escalation-holders.projection.js';
import { FamilyCommandService } from './family.command.js';
import { FamilyProjection } from './family.projection.js';
import { JoinCaseTeamHandler } from './join-case-team.command.js';
import { RecordDepartureHandler } from './record-departure.command.js';
import { RegisterFamilyHandler } from './register-family.command.js';

/**
 * Every capability that acts on a family asks FamilyActors, so it is global; consents and the
 * came-of-age timer store family events through FamilyCommandService.
 */
@Global()
@Module({
  controllers: [FamiliesController, FamilyAddressController],
  providers: [
    FamilyActors,
    FamilyStates,
    FamilyCommandService,
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
    FamilyCommandService,
    FamilyProjection,
    CameOfAgeProjection,
    FamilyEscalationHoldersProjection,
    FamilyViewQuery,
  ],
})
export class FamiliesModule {}
