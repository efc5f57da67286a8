import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RecordDepartureDto {
  @ApiPropertyOptional({
    example: 'Moved in with his father in Lelystad',
    description: 'Free text; stored encrypted with the departing member’s key',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
