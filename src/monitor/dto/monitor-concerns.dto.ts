import { ApiProperty } from '@nestjs/swagger';
import { CONCERN_CATEGORIES } from '../../concerns/concern.model.js';
import { CONCERN_OUTCOMES } from '../concern-figures.js';

const COUNT = 'null when withheld (fewer than 5, or it would give a withheld count away)';
const counts = (names: readonly string[], what: string) =>
  ApiProperty({
    type: 'object',
    description: `${what}; each ${COUNT}`,
    properties: Object.fromEntries(names.map((n) => [n, { type: 'number', nullable: true }])),
    required: [...names],
    additionalProperties: false,
  });

export class ConcernFiguresDto {
  @ApiProperty({ type: Number, nullable: true, description: `Concerns received; ${COUNT}` })
  concerns!: number | null;
  @counts(CONCERN_CATEGORIES, 'Concerns per category')
  categories!: Record<string, number | null>;
  @counts(CONCERN_OUTCOMES, 'Concerns per outcome (`open`: received, in triage or in outreach)')
  outcomes!: Record<string, number | null>;
  @ApiProperty({ description: 'true when any figure of the row is withheld' })
  suppressed!: boolean;
  @ApiProperty({
    type: [String],
    example: ['categories.safety', 'outcomes.registered'],
    description: 'The figures withheld',
  })
  suppressedCells!: string[];
}

export class ConcernRowDto extends ConcernFiguresDto {
  @ApiProperty({ example: 'Haven', description: 'The wijk; `onbekend` for teams not known' })
  group!: string;
}

/** GET /monitor?groupBy=wijk&measure=concerns: every concern so far, as it stands now. */
export class ConcernMonitorReportDto {
  @ApiProperty({ enum: ['wijk'] }) groupBy!: 'wijk';
  @ApiProperty({ enum: ['concerns'] }) measure!: 'concerns';
  @ApiProperty({ description: 'Counts below this are withheld' }) minimumCount!: number;
  @ApiProperty({ type: [ConcernRowDto] }) rows!: ConcernRowDto[];
  @ApiProperty({ type: ConcernFiguresDto, description: 'All wijken together' })
  totals!: ConcernFiguresDto;
}
