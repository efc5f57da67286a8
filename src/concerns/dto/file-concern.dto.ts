import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';
import { IsDateOnly } from '#libs/http/validators.js';
import { HOUSE_NUMBER_PATTERN, POSTCODE_PATTERN } from '../../families/address.js';
import { BsnConstraint } from '../../families/dto/bsn.constraint.js';
import {
  CONCERN_CATEGORIES,
  URGENCIES,
  type ConcernCategory,
  type Urgency,
} from '../concern.model.js';

/** The person a concern is about: identifiable by a BSN, or by family name and date of birth. */
export class ConcernSubjectDto {
  @ApiPropertyOptional({ example: '111222333', description: 'Validated with the 11-proof' })
  @IsOptional()
  @Validate(BsnConstraint)
  bsn?: string;

  @ApiPropertyOptional({ example: 'Daan', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  givenName?: string;

  @ApiPropertyOptional({ example: 'Jansen', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  familyName?: string;

  @ApiPropertyOptional({ example: '2012-01-02', format: 'date' })
  @IsOptional()
  @IsDateOnly()
  dateOfBirth?: string;

  @ApiProperty({ example: '1354 AB', pattern: POSTCODE_PATTERN.source })
  @IsString()
  @Matches(POSTCODE_PATTERN, { message: 'postcode must be a Dutch postcode such as 1354 AB' })
  postcode!: string;

  @ApiProperty({ example: '12A', pattern: HOUSE_NUMBER_PATTERN.source })
  @IsString()
  @Matches(HOUSE_NUMBER_PATTERN, {
    message: 'houseNumber must be a house number such as 12, 12A or 12-2',
  })
  houseNumber!: string;
}

@ValidatorConstraint({ name: 'identifiableSubject' })
class IdentifiableSubject implements ValidatorConstraintInterface {
  validate(subject: unknown): boolean {
    if (!subject || typeof subject !== 'object') return true; // reported by the nested checks
    const { bsn, familyName, dateOfBirth } = subject as Partial<ConcernSubjectDto>;
    return Boolean(bsn) || (Boolean(familyName) && Boolean(dateOfBirth));
  }
  defaultMessage(): string {
    return 'subject needs a bsn, or a familyName with a dateOfBirth';
  }
}

export class FileConcernDto {
  @ApiProperty({ type: ConcernSubjectDto })
  @ValidateNested()
  @Type(() => ConcernSubjectDto)
  @Validate(IdentifiableSubject)
  subject!: ConcernSubjectDto;

  @ApiProperty({ enum: CONCERN_CATEGORIES })
  @IsIn(CONCERN_CATEGORIES)
  category!: ConcernCategory;

  @ApiProperty({ enum: URGENCIES, description: 'Sets the triage deadline (working days)' })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiProperty({ example: 'Daan is sinds oktober vaak afwezig', maxLength: 4000 })
  @IsString()
  @Matches(/\S/, { message: 'description must not be blank' })
  @MaxLength(4000)
  description!: string;

  @ApiPropertyOptional({
    example: 'een buurvrouw',
    maxLength: 200,
    description: 'Who the front desk files for: a description, no identity needed',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  onBehalfOf?: string;
}

export class FileConcernResponseDto {
  @ApiProperty({ format: 'uuid' }) concernId!: string;
  @PositionProperty() position!: string;
}
