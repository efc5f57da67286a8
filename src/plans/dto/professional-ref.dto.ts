import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A professional named for a role. Someone on the case team is known by id alone; an
 * independent professional (procesregisseur, brandpuntfunctionaris) also needs a name and an
 * organisation, since the case team cannot supply them.
 */
export class ProfessionalRefDto {
  @ApiProperty({ example: 'prof-ilse', description: 'The professional’s user id (`sub`)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  professionalId!: string;

  @ApiPropertyOptional({ example: 'Ilse Vermeer' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'Procesregie Flevoland' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation?: string;
}
