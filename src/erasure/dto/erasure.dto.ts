import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IdProperty, TimeProperty } from '#libs/http/openapi/doc-properties.js';
import type { ErasureStatus } from '../erasure-request.evolve.js';

export class ErasureRequestDto {
  @ApiProperty({
    example: 'Ik wil niet dat mijn gegevens nog bewaard worden',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ErasureDecisionDto {
  @ApiProperty({ description: 'true: destroy the data; false: refuse, stating the legal reason' })
  @IsBoolean()
  grant!: boolean;

  @ApiProperty({
    example: 'Jeugdwet art. 7.3.8: bewaarplicht 20 jaar',
    description: 'The ground of the decision; a refusal states the legal duty to keep (20+ chars)',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export const ERASURE_STATUSES: readonly ErasureStatus[] = ['open', 'granted', 'refused'];

export class ErasureRequestFiltersDto {
  @ApiPropertyOptional({ enum: ERASURE_STATUSES })
  @IsOptional()
  @IsIn(ERASURE_STATUSES)
  status?: ErasureStatus;
}

export class ErasureRequestCreatedDto {
  @ApiProperty({ format: 'uuid' })
  requestId!: string;

  @ApiProperty({ example: '1234-5' })
  position!: string;
}

export class ErasureDecisionResultDto {
  @ApiProperty({ example: '1234-5' })
  position!: string;

  @ApiProperty({ enum: ['granted', 'refused'] })
  status!: 'granted' | 'refused';
}

export class ErasureRequestViewDto {
  @IdProperty() requestId!: string;
  @IdProperty() familyId!: string;
  @IdProperty() memberId!: string;
  @ApiProperty({ enum: ERASURE_STATUSES }) status!: string;
  @TimeProperty() requestedAt!: string;
  @ApiProperty({ example: 'citizen-noah' }) requestedBy!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Ik wil niet dat mijn gegevens nog bewaard worden',
  })
  reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) decisionReason!: string | null;
}

export class ErasureRequestListDto {
  @ApiProperty({ type: [ErasureRequestViewDto] }) items!: ErasureRequestViewDto[];
}
