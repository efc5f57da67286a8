import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { Scoped } from '#libs/http/openapi/doc-properties.js';
import {
  CONCERN_CATEGORIES,
  CONTACT_KINDS,
  CONTACT_OUTCOMES,
  URGENCIES,
} from '../concern.model.js';

const STATUSES = [
  'received',
  'in_triage',
  'linked',
  'registered',
  'outreach',
  'dismissed',
  'closed',
] as const;

export class ConcernQueueFiltersDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ description: 'true: only those nobody took up by their deadline' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

class PersonRefDto {
  @ApiProperty({ example: 'Sanne de Vries' }) name!: string;
  @ApiProperty({ example: 'SLT Haven' }) organisation!: string;
}

class MatchDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ enum: ['exact', 'possible'] }) certainty!: 'exact' | 'possible';
}

/** What every list of concerns shows of each. */
class ConcernSummaryDto {
  @ApiProperty({ format: 'uuid' }) concernId!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ enum: CONCERN_CATEGORIES }) category!: string;
  @ApiProperty({ enum: URGENCIES }) urgency!: string;
  @ApiProperty({ enum: [...STATUSES] }) status!: string;
}

class MyConcernDto extends ConcernSummaryDto {
  @ApiProperty({
    type: PersonRefDto,
    nullable: true,
    description:
      "The reporter's contact: intake's professional, or the casusregisseur once there is one",
  })
  contact!: PersonRefDto | null;
  @ApiProperty({
    type: [String],
    description: 'Other organisations that filed a concern about the same person (never what)',
  })
  matchedOrganisations!: string[];
}

export class MyConcernsDto {
  @ApiProperty({ type: [MyConcernDto] }) items!: MyConcernDto[];
}

class QueuedConcernDto extends ConcernSummaryDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The triage deadline while nobody took it up',
  })
  dueAt!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: MatchDto, nullable: true }) match!: MatchDto | null;
}

export class ConcernQueueDto {
  @ApiProperty({ type: [QueuedConcernDto] }) items!: QueuedConcernDto[];
}

class SubjectViewDto {
  @ApiPropertyOptional({ example: '111222333' }) bsn?: string;
  @ApiPropertyOptional({ example: 'Daan' }) givenName?: string;
  @ApiPropertyOptional({ example: 'Jansen' }) familyName?: string;
  @ApiPropertyOptional({ format: 'date', example: '2012-01-02' }) dateOfBirth?: string;
  @ApiProperty({ example: '1354AB' }) postcode!: string;
  @ApiProperty({ example: '12' }) houseNumber!: string;
}

class ContactAttemptViewDto {
  @ApiProperty({ format: 'uuid' }) attemptId!: string;
  @ApiProperty({ enum: CONTACT_KINDS }) kind!: string;
  @ApiProperty({ enum: CONTACT_OUTCOMES }) outcome!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: PersonRefDto }) by!: PersonRefDto;
}

class ConcernHistoryDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'ConcernTakenUp' }) event!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { userId: 'prof-sanne', name: 'Sanne de Vries' },
  })
  actor!: Record<string, unknown>;
}

/** One concern, as wide as the reader may see it; fields outside their view are absent. */
export class ConcernDto {
  @ApiProperty({ format: 'uuid' }) concernId!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ enum: CONCERN_CATEGORIES }) category!: string;
  @Scoped({ type: PersonRefDto }) reporter?: PersonRefDto;
  @Scoped({ type: SubjectViewDto, nullable: true }) subject?: SubjectViewDto | null;
  @Scoped({ enum: URGENCIES }) urgency?: string;
  @Scoped({ type: String, nullable: true, example: 'Daan is sinds oktober vaak afwezig' })
  description?: string | null;
  @Scoped({ type: String, nullable: true }) onBehalfOf?: string | null;
  @Scoped({ enum: [...STATUSES] }) status?: string;
  @Scoped({ type: PersonRefDto, nullable: true }) contact?: PersonRefDto | null;
  @Scoped({ type: MatchDto, nullable: true }) match?: MatchDto | null;
  @Scoped({ type: String, format: 'uuid', nullable: true }) familyId?: string | null;
  @Scoped({ type: String, format: 'date-time', nullable: true }) dueAt?: string | null;
  @Scoped({ type: [ContactAttemptViewDto] }) contactAttempts?: ContactAttemptViewDto[];
  @Scoped({ type: [ConcernHistoryDto] }) history?: ConcernHistoryDto[];
}
