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

/** A concern of the team lead's team that waits on their decision. */
export class InboxConcernAlertDto {
  @IdProperty() concernId!: string;
  @IdProperty() teamId!: string;
  @ApiProperty({ enum: CONCERN_CATEGORIES, example: 'rent_arrears' }) category!: string;
  @ApiProperty({
    enum: ['triage_overdue', 'outreach_not_reached', 'outreach_declined_safety'],
    description:
      'Nobody took it up in time; the subject was not reached in three attempts; a safety concern was declined',
  })
  alert!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
}

export class InboxDto {
  @ApiProperty({ type: [InboxCaseDto] }) cases!: InboxCaseDto[];
  @ApiProperty({ type: [InboxEscalationDto] }) escalations!: InboxEscalationDto[];
  @ApiProperty({
    type: [InboxConcernAlertDto],
    description: 'For a team lead: concerns of their teams that wait on their decision',
  })
  concernAlerts!: InboxConcernAlertDto[];
}
