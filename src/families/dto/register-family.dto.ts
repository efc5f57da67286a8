import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';
import { BsnConstraint } from './bsn.constraint.js';
import { AddressDto } from './address.dto.js';

@ValidatorConstraint({ name: 'pastDate' })
class PastDateConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(value) &&
      Date.parse(value) <= Date.now()
    );
  }
  defaultMessage(): string {
    return 'dateOfBirth must be a date YYYY-MM-DD, not in the future';
  }
}

export class NewMemberDto {
  @ApiProperty({ example: 'Paulien' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  givenName!: string;

  @ApiProperty({ example: 'de Vries' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  familyName!: string;

  @ApiProperty({ example: '2002-03-14', format: 'date' })
  @IsISO8601({ strict: true })
  @Validate(PastDateConstraint)
  dateOfBirth!: string;

  @ApiProperty({ enum: ['parent', 'child', 'other'] })
  @IsIn(['parent', 'child', 'other'])
  role!: 'parent' | 'child' | 'other';

  @ApiPropertyOptional({
    example: '111222333',
    description: 'Validated with the 11-proof; stored encrypted, shown masked',
  })
  @IsOptional()
  @Validate(BsnConstraint)
  bsn?: string;
}

export class NewNetworkMemberDto {
  @ApiProperty({ example: 'Oma Ria' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'grandmother' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  relation!: string;
}

/** Who a family is: its members and network (registered directly, or from a concern). */
export class FamilyMembersDto {
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
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NewNetworkMemberDto)
  network?: NewNetworkMemberDto[];
}

export class RegisterFamilyDto extends FamilyMembersDto {
  @ApiProperty({ format: 'uuid', description: 'The SLT team the family belongs to' })
  @IsUUID()
  teamId!: string;

  @ApiPropertyOptional({
    type: AddressDto,
    description: 'Where the household lives: sealed; emergency access and concerns find it',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

export class RegisterFamilyResponseDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d'],
  })
  memberIds!: string[];
  @ApiProperty({
    type: [String],
    format: 'uuid',
    example: ['7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b'],
  })
  networkIds!: string[];
  @PositionProperty() position!: string;
}
