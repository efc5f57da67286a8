import { TamperProblemDto } from './audit-seals.dto.js';
import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE_UUID, PositionProperty, TimeProperty } from '#libs/http/openapi/doc-properties.js';
import { ActorDto } from '../../escalations/dto/escalation-view.dto.js';
import { FamilyViewDto } from '../../families/dto/family-view.dto.js';
import { PlanViewDto } from '../../plans/dto/plan-view.dto.js';

export class AuditEventDto {
  @PositionProperty() position!: string;
  @ApiProperty({ example: `family-${EXAMPLE_UUID}` }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 0 }) streamVersion!: number;
  @ApiProperty({ example: 'family.FamilyRegistered' }) type!: string;
  @TimeProperty() occurredAt!: string;
  @TimeProperty() recordedAt!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ type: String, nullable: true, example: null }) onBehalfOf!: string | null;
  @ApiProperty({ example: '6f1c2a3b-9d8e-4f7a-8b6c-5d4e3f2a1b0c' }) correlationId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      familyId: '3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10',
      teamId: '0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d01',
      members: [
        { memberId: '8d2f4b6a-1c3e-4a5b-9f7d-2e6c8a0b4d13', role: 'parent', personal: '[sealed]' },
      ],
      network: [],
    },
    description:
      'The event’s data; each field its event type declares sealed shows `[sealed]` (never decrypted)',
  })
  data!: Record<string, unknown>;
}

export class AuditHistoryDto {
  @ApiProperty({ type: [AuditEventDto] }) events!: AuditEventDto[];
}

export class AuditStateDto {
  @TimeProperty() asOf!: string;
  @ApiProperty({ type: 'integer', example: 12 }) replayedEvents!: number;
  @ApiProperty({ type: 'integer', nullable: true, example: null }) fromSnapshotVersion!:
    number | null;
  @ApiProperty({ type: FamilyViewDto }) family!: FamilyViewDto;
  @ApiProperty({ type: PlanViewDto, nullable: true }) plan!: PlanViewDto | null;
}

export class BrokenLinkDto {
  @ApiProperty({ example: `gezinsplan-${EXAMPLE_UUID}` }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 3 }) streamVersion!: number;
  @ApiProperty({ format: 'uuid', example: EXAMPLE_UUID }) eventId!: string;
  @PositionProperty() position!: string;
  @ApiProperty({ enum: ['hash-mismatch', 'chain-broken'] }) reason!: string;
}

export class StreamVerificationDto {
  @ApiProperty({ example: `family-${EXAMPLE_UUID}` }) streamId!: string;
  @ApiProperty({ example: true }) valid!: boolean;
  @ApiProperty({ type: 'integer', example: 4 }) events!: number;
  @ApiProperty({ type: BrokenLinkDto, nullable: true }) firstBroken!: BrokenLinkDto | null;
}

export class FamilySealDto {
  @ApiProperty({ format: 'uuid' }) sealId!: string;
  @ApiProperty({ type: 'integer', example: 12000 }) events!: number;
}

export class AuditVerificationDto {
  @ApiProperty({ example: true }) valid!: boolean;
  @ApiProperty({ type: 'integer', example: 12 }) events!: number;
  @ApiProperty({ type: BrokenLinkDto, nullable: true }) firstBroken!: BrokenLinkDto | null;
  @ApiProperty({ type: [StreamVerificationDto] }) streams!: StreamVerificationDto[];
  @ApiProperty({
    type: FamilySealDto,
    nullable: true,
    description: 'The latest genuine seal the events were checked against (null: none yet)',
  })
  seal!: FamilySealDto | null;
  @ApiProperty({ type: 'integer', example: 0, description: 'Events after that seal' })
  unsealed!: number;
  @ApiProperty({
    type: [TamperProblemDto],
    description:
      'Events changed, removed, inserted or moved since they were sealed, and seals that are forged or edited',
  })
  problems!: TamperProblemDto[];
}

/** GET .../export: not one JSON document but one CloudEvent per line. */
export const NDJSON_EXPORT = {
  mediaType: 'application/x-ndjson',
  schema: { type: 'string' as const, description: 'One CloudEvents 1.0 JSON object per line' },
  example:
    '{"specversion":"1.0","id":"6f1c2a3b-9d8e-4f7a-8b6c-5d4e3f2a1b0c","source":"urn:nld:oin:00000001234567890000:systeem:een-gezin-een-plan","type":"nl.egep.family.FamilyRegistered","time":"2027-01-15T09:00:00.000Z","datacontenttype":"application/json","egepposition":"812-3","egepstreamversion":0,"data":{"streamId":"family-3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10","actor":"prof-sanne","onBehalfOf":null,"event":{"familyId":"3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10","teamId":"0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d01","members":[{"memberId":"8d2f4b6a-1c3e-4a5b-9f7d-2e6c8a0b4d13","role":"parent","personal":"[sealed]"}],"network":[]}}}\n',
  description:
    'CloudEvents 1.0 in structured JSON mode, one per line (a download), after the NL GOV profile: ' +
    '`source` is urn:nld:oin:<ORGANISATION_OIN>:systeem:een-gezin-een-plan, there is no `subject`, ' +
    'and the context attributes hold no personal data and no case id. `egepposition` is the ' +
    "event's position in the store's global order, `egepstreamversion` its 0-based version in its " +
    'stream; `data` holds the stream id, the acting user id, on whose behalf (or null) and the ' +
    "event's own data, pseudonymised as in the history (sealed fields read [sealed]).",
};
