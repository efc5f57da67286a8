import { ApiProperty } from '@nestjs/swagger';
import { IdProperty } from '#libs/http/openapi/doc-properties.js';
import { EscalationSummaryDto } from '../../escalations/dto/escalation-view.dto.js';

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
