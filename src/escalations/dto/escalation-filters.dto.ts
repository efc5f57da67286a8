import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID } from 'class-validator';
import type { EscalationStatus, Level } from '../escalation.model.js';

export class EscalationFiltersDto {
  @ApiPropertyOptional({ enum: [0, 1, 2] })
  @IsOptional()
  // Only the digits themselves: Number() would take `?level=` as 0 and `0x1` as 1.
  @Transform(({ value }) =>
    typeof value === 'string' && /^[012]$/.test(value) ? Number(value) : value,
  )
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
