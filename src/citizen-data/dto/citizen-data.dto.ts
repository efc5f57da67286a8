import { ApiProperty } from '@nestjs/swagger';
import {
  IdProperty,
  Scoped,
  TextProperty,
  TimeProperty,
} from '#libs/http/openapi/doc-properties.js';
import { CONCERN_CATEGORIES } from '../../concerns/concern.model.js';
import { PlanViewDto } from '../../plans/dto/plan-view.dto.js';
import { ConsentViewDto } from '../../privacy/dto/privacy-views.dto.js';

class CitizenConcernReporterDto {
  @TextProperty('De Regenboog') organisation!: string;
}

/** A concern about the citizen, as they read it (who raised it: the organisation, not the person). */
export class CitizenConcernDto {
  @IdProperty() concernId!: string;
  @ApiProperty({ enum: CONCERN_CATEGORIES }) category!: string;
  @TimeProperty() receivedAt!: string;
  @ApiProperty({
    enum: ['received', 'in_triage', 'linked', 'registered', 'outreach', 'dismissed', 'closed'],
  })
  status!: string;
  @ApiProperty({ type: CitizenConcernReporterDto }) reporter!: CitizenConcernReporterDto;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Daan is sinds oktober vaak afwezig',
    description: 'null once its key was shredded',
  })
  description!: string | null;
}

/** A citizen's own data (AVG art. 15). */
export class CitizenDataDto {
  @IdProperty() memberId!: string;
  @IdProperty() familyId!: string;
  @TextProperty('Noah') givenName!: string;
  @TextProperty('de Vries') familyName!: string;
  @ApiProperty({ type: String, format: 'date', example: '2012-09-02' }) dateOfBirth!: string;
  @ApiProperty({ type: 'integer', example: 14 }) age!: number;
  @ApiProperty({ enum: ['parent', 'child', 'other'] }) role!: string;
  @Scoped({ type: String, example: '******333' }) bsn?: string;
  @ApiProperty({ type: [ConsentViewDto] }) consents!: ConsentViewDto[];
  @ApiProperty({ type: PlanViewDto, nullable: true }) plan!: PlanViewDto | null;
  @ApiProperty({
    type: [CitizenConcernDto],
    description:
      'Concerns linked to the citizen or registered with them; a safety concern only once intake lifted its restriction',
  })
  concerns!: CitizenConcernDto[];
}
