import { ApiProperty } from '@nestjs/swagger';
import {
  IdProperty,
  Scoped,
  TextProperty,
  TimeProperty,
} from '#libs/http/openapi/doc-properties.js';
import { LIFE_DOMAINS } from '../../kernel/life-domains.js';

const DISPUTE_STATUSES = ['open', 'upheld', 'rejected'];

export class AccessLogEntryDto {
  @IdProperty() entryId!: string;
  @TimeProperty() at!: string;
  @TextProperty('prof-sanne') userId!: string;
  @TextProperty('Sanne de Vries') userName!: string;
  @TextProperty('SLT Haven') organisation!: string;
  @ApiProperty({ enum: ['read', 'search', 'export', 'reveal'] }) action!: string;
  @TextProperty('family') resource!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d'],
  })
  memberIds!: string[];
  @TextProperty('care coordination') purpose!: string;
  @TextProperty('casusregisseur', { description: 'The privacy rule that allowed it' })
  rule!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) onBehalfOf!: string | null;
  @ApiProperty({ example: false, description: 'Read under emergency access' })
  breakTheGlass!: boolean;
}

export class AccessLogDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) entries!: AccessLogEntryDto[];
}

export class RevealedBsnDto {
  @ApiProperty({ example: '111222333', description: 'The full BSN; the reveal is logged' })
  bsn!: string;
}

export class ConsentGranteeDto {
  @Scoped({ type: String, example: 'GGZ Centraal' }) organisation?: string;
  @Scoped({ type: String, format: 'uuid', example: '5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d' })
  memberId?: string;
}

export class ConsentViewDto {
  @IdProperty() consentId!: string;
  @IdProperty({ description: 'The member whose data is shared' }) memberId!: string;
  @ApiProperty({ type: ConsentGranteeDto, description: 'An organisation or a family member' })
  grantee!: ConsentGranteeDto;
  @ApiProperty({ enum: LIFE_DOMAINS }) lifeDomain!: string;
  @TextProperty('Moeder ondersteunt bij de behandeling') purpose!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: null })
  until!: string | null;
  @ApiProperty({ example: false }) withdrawn!: boolean;
  @TimeProperty() grantedAt!: string;
}

export class DisputeCreatedDto {
  @IdProperty() disputeId!: string;
}

export class DisputeViewDto {
  @IdProperty() disputeId!: string;
  @IdProperty() entryId!: string;
  @IdProperty() memberId!: string;
  @TextProperty('Ik ken deze organisatie niet') reason!: string;
  @ApiProperty({ enum: DISPUTE_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true, example: null }) resolution!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) resolvedBy!: string | null;
  @TimeProperty() createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  resolvedAt!: string | null;
  @ApiProperty({ type: AccessLogEntryDto }) entry!: AccessLogEntryDto;
}

export class DisputeListDto {
  @ApiProperty({ type: [DisputeViewDto] }) disputes!: DisputeViewDto[];
}

export class DisputeResolvedDto {
  @IdProperty() disputeId!: string;
  @ApiProperty({ enum: ['upheld', 'rejected'] }) status!: string;
}
