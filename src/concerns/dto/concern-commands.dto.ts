import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';
import { NewMemberDto, NewNetworkMemberDto } from '../../families/dto/register-family.dto.js';
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
export class RegisterFromConcernDto {
  @ApiProperty({ type: [NewMemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => NewMemberDto)
  members!: NewMemberDto[];

  @ApiPropertyOptional({ type: [NewNetworkMemberDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => NewNetworkMemberDto)
  network?: NewNetworkMemberDto[];
}

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
