import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IdProperty, PositionProperty } from '#libs/http/openapi/doc-properties.js';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsDateOnly } from '#libs/http/validators.js';
import { LIFE_DOMAINS, type LifeDomain } from '../../kernel/life-domains.js';

/** Exactly one grantee: an organisation (by name, as in tokens) or a member of the family. */
export class GrantConsentDto {
  @ApiPropertyOptional({ example: 'GGZ Centraal' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A member of the family, a parent say' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiProperty({ enum: LIFE_DOMAINS })
  @IsIn(LIFE_DOMAINS)
  lifeDomain!: LifeDomain;

  @ApiProperty({ example: 'Moeder ondersteunt bij de behandeling' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  purpose!: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last day the consent holds' })
  @IsOptional()
  @IsDateOnly()
  until?: string;
}

export class ConsentGrantedDto {
  @IdProperty() consentId!: string;
  @PositionProperty() position!: string;
}
