import { ApiProperty } from '@nestjs/swagger';
import { IdProperty, Scoped, TextProperty } from '#libs/http/openapi/doc-properties.js';
import { PlanViewDto } from '../../plans/dto/plan-view.dto.js';
import { ConsentViewDto } from '../../privacy/dto/privacy-views.dto.js';

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
}
