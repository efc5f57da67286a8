import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { HOUSE_NUMBER_PATTERN, POSTCODE_PATTERN } from '../../families/address.js';
import { BsnConstraint } from '../../families/dto/bsn.constraint.js';
import {
  IdProperty,
  PositionProperty,
  TextProperty,
  TimeProperty,
} from '#libs/http/openapi/doc-properties.js';

export const MIN_REASON_LENGTH = 20;

/** Exactly one way of naming the person: a BSN, or a postcode with a house number. */
@ValidatorConstraint({ name: 'oneSubject' })
class OneSubjectConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const s = value as EmergencySubjectDto;
    const byAddress = s.postcode !== undefined || s.houseNumber !== undefined;
    return (s.bsn !== undefined) !== byAddress;
  }
  defaultMessage(): string {
    return 'subject is either {bsn} or {postcode, houseNumber}, not both and not neither';
  }
}

export class EmergencySubjectDto {
  @ApiPropertyOptional({ example: '111222333', description: 'BSN (11-proof)' })
  @IsOptional()
  @Validate(BsnConstraint)
  bsn?: string;

  @ApiPropertyOptional({ example: '1354 AB', pattern: POSTCODE_PATTERN.source })
  @ValidateIf((s: EmergencySubjectDto) => s.bsn === undefined)
  @IsString()
  @Matches(POSTCODE_PATTERN, { message: 'postcode must be a Dutch postcode such as 1354 AB' })
  postcode?: string;

  @ApiPropertyOptional({ example: '12A', pattern: HOUSE_NUMBER_PATTERN.source })
  @ValidateIf((s: EmergencySubjectDto) => s.bsn === undefined)
  @IsString()
  @Matches(HOUSE_NUMBER_PATTERN, {
    message: 'houseNumber must be a house number such as 12, 12A or 12-2',
  })
  houseNumber?: string;
}

export class RequestEmergencyAccessDto {
  @ApiProperty({ type: EmergencySubjectDto, description: '{bsn} or {postcode, houseNumber}' })
  @IsObject()
  @Validate(OneSubjectConstraint)
  @ValidateNested()
  @Type(() => EmergencySubjectDto)
  subject!: EmergencySubjectDto;

  @ApiProperty({
    minLength: MIN_REASON_LENGTH,
    maxLength: 1000,
    example: 'Politie meldt acute onveiligheid bij dit adres, buiten kantoortijd',
    description:
      'Why the glass is broken; logged with every read of the access and shown to the family',
  })
  @IsString()
  @MinLength(MIN_REASON_LENGTH, {
    message: `reason must be at least ${MIN_REASON_LENGTH} characters: say why this is an emergency`,
  })
  @MaxLength(1000)
  reason!: string;
}

export class ReviewEmergencyAccessDto {
  @ApiProperty({ description: 'Was breaking the glass justified?' })
  @IsBoolean()
  justified!: boolean;

  @ApiProperty({ example: 'Acute situatie, terecht buiten kantoortijd', maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}

export const REVIEW_STATUSES = ['unreviewed', 'reviewed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export class EmergencyAccessFilterDto {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES })
  @IsOptional()
  @IsIn(REVIEW_STATUSES, { message: `status must be one of: ${REVIEW_STATUSES.join(', ')}` })
  status?: ReviewStatus;
}

export class EmergencyAccessFamilyDto {
  @IdProperty() familyId!: string;
}

export class EmergencyAccessGrantedDto {
  @IdProperty() accessId!: string;
  @TimeProperty({ description: 'Reads are allowed until then' }) until!: string;
  @ApiProperty({ type: [EmergencyAccessFamilyDto], description: 'Empty when nobody was found' })
  families!: EmergencyAccessFamilyDto[];
  @PositionProperty() position!: string;
}

export class EmergencyAccessReviewDto {
  @ApiProperty({ example: true }) justified!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'Terecht: acute situatie' })
  note!: string | null;
  @TextProperty('po-1', { description: 'The privacy officer’s user id' }) reviewedBy!: string;
  @TimeProperty() reviewedAt!: string;
}

export class EmergencyAccessItemDto {
  @IdProperty() accessId!: string;
  @TextProperty('demo-youri') userId!: string;
  @TextProperty('Youri Bakker') name!: string;
  @TextProperty('SLT Stad-West') organisation!: string;
  @ApiProperty({ enum: ['bsn', 'address'], description: 'How the subject was named' })
  subjectKind!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Politie meldt acute onveiligheid, buiten kantoortijd',
  })
  reason!: string | null;
  @TimeProperty() at!: string;
  @TimeProperty() until!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['2b66157d-5822-4cbf-bf53-6383521de604'],
  })
  familyIds!: string[];
  @ApiProperty({ type: 'integer', example: 2, description: 'Reads it allowed (access log)' })
  reads!: number;
  @ApiProperty({ type: EmergencyAccessReviewDto, nullable: true })
  review!: EmergencyAccessReviewDto | null;
}

export class EmergencyAccessListDto {
  @ApiProperty({ type: [EmergencyAccessItemDto] }) items!: EmergencyAccessItemDto[];
}
