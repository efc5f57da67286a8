import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsDateOnly } from '#libs/http/validators.js';
import { PERIOD_FORMAT, PERIOD_PATTERN } from '../monitor-period.js';
import { GROUP_BY, type GroupBy } from '../monitor-report.js';

/** What the monitor counts: the cases (plans, escalations, goals) or the concerns. */
export const MEASURES = ['cases', 'concerns'] as const;
export type Measure = (typeof MEASURES)[number];

export class MonitorQueryDto {
  @ApiPropertyOptional({
    enum: MEASURES,
    default: 'cases',
    description:
      'cases: plans, escalations and goals of a period; concerns: every concern so far per wijk, by category and outcome (groupBy=wijk, no period)',
  })
  @IsOptional()
  @IsIn(MEASURES, { message: `measure must be one of: ${MEASURES.join(', ')}` })
  measure?: Measure;

  @ApiProperty({ enum: GROUP_BY, description: 'Group the teams by wijk or by stadsdeel' })
  @IsIn(GROUP_BY, { message: `groupBy must be one of: ${GROUP_BY.join(', ')}` })
  groupBy!: GroupBy;

  @ApiPropertyOptional({
    example: '2026-Q3',
    description: `The period: ${PERIOD_FORMAT}. Default: the current year by the clock. Only fixed calendar periods are answered, so that overlapping windows cannot be subtracted`,
  })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: `period must be ${PERIOD_FORMAT}` })
  period?: string;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'Instead of period: the first day of a month, quarter or year (plans opened, escalations raised), with `to`',
  })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    description:
      'Instead of period: the last day of the month, quarter or year that starts on `from`, inclusive',
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
  @ApiProperty({ example: '2026-Q3', description: 'The calendar period: year, quarter or month' })
  period!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ description: 'Counts below this are withheld' }) minimumCount!: number;
  @ApiProperty({ type: [MonitorRowDto] }) rows!: MonitorRowDto[];
  @ApiProperty({ type: MonitorFiguresDto, description: 'All groups together' })
  totals!: MonitorFiguresDto;
}
