import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

export class RevealBsnDto {
  @ApiProperty({
    example: 'Aanmelding bij de Belastingdienst voor toeslagen',
    description: 'The purpose or legal basis; logged',
  })
  @IsString()
  @MinLength(10)
  @MaxLength(500)
  reason!: string;
}

export class DisputeDto {
  @ApiProperty({ example: 'Ik ken deze organisatie niet' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ description: 'true: the access was unwanted and is acted upon' })
  @IsBoolean()
  upheld!: boolean;

  @ApiProperty({ example: 'De toegang was niet nodig; de medewerker is aangesproken' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  text!: string;
}

export class DisputeFilterDto {
  @ApiPropertyOptional({ enum: ['open', 'upheld', 'rejected'] })
  @IsOptional()
  @IsIn(['open', 'upheld', 'rejected'])
  status?: 'open' | 'upheld' | 'rejected';
}
