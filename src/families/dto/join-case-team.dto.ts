import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { LIFE_DOMAINS, type LifeDomain } from '../../kernel/life-domains.js';

export class JoinCaseTeamDto {
  @ApiProperty({ example: 'prof-joyce', description: 'The professional’s user id (`sub`)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  professionalId!: string;

  @ApiProperty({ example: 'Joyce Mulder' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'JGZ Almere' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation!: string;

  @ApiProperty({ example: 'jeugdverpleegkundige' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  discipline!: string;

  @ApiPropertyOptional({
    enum: LIFE_DOMAINS,
    isArray: true,
    description: 'Life domains this professional works in: they read need_to_know items of those',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(15)
  @IsIn(LIFE_DOMAINS, { each: true })
  lifeDomains?: LifeDomain[];
}
