import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ROLES, type Role } from '#libs/auth/auth-user.js';

export class DevTokenRequestDto {
  @ApiProperty({ example: 'prof-sanne' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  sub!: string;

  @ApiProperty({ example: 'Sanne de Vries' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'SLT Haven' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['professional'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  teams?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  memberId?: string;
}

export class DevClockRequestDto {
  @ApiPropertyOptional({ example: '2027-01-15T09:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  now?: string;

  @ApiPropertyOptional({ example: 7 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36500)
  advanceDays?: number;
}

export class DevTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9mLXNhbm5lIn0.c2lnbmF0dXJl' })
  token!: string;
}

export class DevClockDto {
  @ApiProperty({ type: String, format: 'date-time', example: '2027-01-15T09:00:00.000Z' })
  now!: string;
}

export class DevClockMovedDto extends DevClockDto {
  @ApiProperty({ type: 'integer', example: 2, description: 'Timers fired by the move' })
  timersFired!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '812-3',
    description: 'The head of the event store after the timers, for X-Consistent-After',
  })
  position!: string | null;
}
