import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID } from 'class-validator';
import type { EscalationStatus, Level } from '../escalation.model.js';

export class EscalationFiltersDto {
  @ApiPropertyOptional({ enum: [0, 1, 2] })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsIn([0, 1, 2])
  level?: Level;

  @ApiPropertyOptional({ enum: ['open', 'resolved', 'withdrawn'] })
  @IsOptional()
  @IsIn(['open', 'resolved', 'withdrawn'])
  status?: EscalationStatus;

  @ApiPropertyOptional({ description: 'true: only those past their current deadline' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  familyId?: string;
}
