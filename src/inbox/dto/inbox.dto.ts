import { ApiProperty } from '@nestjs/swagger';
import { IdProperty } from '#libs/http/openapi/doc-properties.js';
import { CONCERN_CATEGORIES } from '../../concerns/concern.model.js';
import { EscalationSummaryDto } from '../../escalations/dto/escalation-view.dto.js';

/** A concern linked to the case, by category and date (its content is read at GET /concerns/{id}). */
export class InboxConcernDto {
  @IdProperty() concernId!: string;
  @ApiProperty({ enum: CONCERN_CATEGORIES, example: 'school_absence' }) category!: string;
  @ApiProperty({ format: 'date-time' }) linkedAt!: string;
}

export class InboxCaseDto {
  @IdProperty() familyId!: string;
  @ApiProperty({
    enum: ['case_team', 'casusregisseur', 'perspectiefregisseur', 'procesregisseur'],
    isArray: true,
    example: ['case_team', 'casusregisseur'],
  })
  roles!: string[];
  @ApiProperty({ type: 'integer', example: 1 }) openSignals!: number;
  @ApiProperty({ type: 'integer', example: 0 }) overdueActions!: number;
  @ApiProperty({ type: [InboxConcernDto], description: 'Concerns intake linked to this case' })
  concerns!: InboxConcernDto[];
}

export class InboxEscalationDto extends EscalationSummaryDto {
  @ApiProperty({
    enum: ['holder', 'pool', 'team_lead', 'directive'],
    description: 'Why it waits on the caller',
  })
  why!: string;
}

export class InboxDto {
  @ApiProperty({ type: [InboxCaseDto] }) cases!: InboxCaseDto[];
  @ApiProperty({ type: [InboxEscalationDto] }) escalations!: InboxEscalationDto[];
}
