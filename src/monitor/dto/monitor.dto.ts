import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDateOnly } from '../../../libs/http/validators.js';
import { GROUP_BY, type GroupBy } from '../monitor-report.js';

export class MonitorQueryDto {
  @ApiProperty({ enum: GROUP_BY, description: 'Group the teams by wijk or by stadsdeel' })
  @IsIn(GROUP_BY, { message: `groupBy must be one of: ${GROUP_BY.join(', ')}` })
  groupBy!: GroupBy;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'First day of the period (plans opened, escalations raised); default: 12 months before `to`, plus one day',
  })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'Last day of the period, inclusive; default: today by the clock',
  })
  @IsOptional()
  @IsDateOnly()
  to?: string;
}

const COUNT = 'null when withheld (fewer than 5, or it would give a withheld count away)';

export class MonitorFiguresDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `Plans of the period not closed; ${COUNT}`,
  })
  activeCases!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `Plans of the period ever agreed; ${COUNT}`,
  })
  plansAgreed!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Median days from opening to first agreement; null when based on fewer than 5 plans',
  })
  medianDaysToAgreement!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `Open escalations at level 0; ${COUNT}`,
  })
  escalationsLevel0!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `Open escalations at level 1; ${COUNT}`,
  })
  escalationsLevel1!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `Open escalations at level 2; ${COUNT}`,
  })
  escalationsLevel2!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'achieved / (achieved + not_achieved + active) goals, 2 decimals; null when based on fewer than 5 goals',
  })
  goalsAchievedShare!: number | null;
  @ApiProperty({ description: 'true when any figure of the row is withheld' })
  suppressed!: boolean;
  @ApiProperty({ type: [String], description: 'The fields withheld' })
  suppressedCells!: string[];
}

export class MonitorRowDto extends MonitorFiguresDto {
  @ApiProperty({
    example: 'Haven',
    description: 'The wijk or stadsdeel; `onbekend` for teams not known',
  })
  group!: string;
}

export class MonitorReportDto {
  @ApiProperty({ enum: GROUP_BY }) groupBy!: GroupBy;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ description: 'Counts below this are withheld' }) minimumCount!: number;
  @ApiProperty({ type: [MonitorRowDto] }) rows!: MonitorRowDto[];
  @ApiProperty({ type: MonitorFiguresDto, description: 'All groups together' })
  totals!: MonitorFiguresDto;
}
