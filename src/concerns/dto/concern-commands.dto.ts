import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';
import { FamilyMembersDto } from '../../families/dto/register-family.dto.js';
import {
  CONTACT_KINDS,
  CONTACT_OUTCOMES,
  type ContactKind,
  type ContactOutcome,
} from '../concern.model.js';

export class ConcernFamilyDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  familyId!: string;
}

export class LinkConcernDto extends ConcernFamilyDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The member the concern is about, when intake knows which one',
  })
  @IsOptional()
  @IsUUID()
  memberId?: string;
}

/** As POST /families; the team and address come from the concern. */
export class RegisterFromConcernDto extends FamilyMembersDto {}

export class RegisteredFromConcernDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: [String] }) memberIds!: string[];
  @PositionProperty() position!: string;
}

export class ContactAttemptDto {
  @ApiProperty({ enum: CONTACT_KINDS })
  @IsIn(CONTACT_KINDS)
  kind!: ContactKind;

  @ApiProperty({ enum: CONTACT_OUTCOMES })
  @IsIn(CONTACT_OUTCOMES)
  outcome!: ContactOutcome;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note?: string;
}

export class ContactAttemptResponseDto {
  @ApiProperty({ format: 'uuid' }) attemptId!: string;
  @PositionProperty() position!: string;
}

export class ConcernReasonDto {
  @ApiProperty({ example: 'Al in beeld bij de huisarts', maxLength: 2000 })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(2000)
  reason!: string;
}
