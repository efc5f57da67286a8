import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDateOnly } from '#libs/http/validators.js';
import {
  MAATWERK_KINDS,
  SIGNAL_CATEGORIES,
  type MaatwerkKind,
  type SignalCategory,
} from '../escalation.model.js';
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from '../../kernel/life-domains.js';

export class RaiseSignalDto {
  @ApiProperty({ enum: SIGNAL_CATEGORIES })
  @IsIn(SIGNAL_CATEGORIES)
  category!: SignalCategory;

  @ApiProperty({ example: 'Geen woningcorporatie wil een woning aanbieden' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  description!: string;

  @ApiPropertyOptional({
    enum: CONFIDENTIALITY_LEVELS,
    description: 'Default case_team; restricted for a safety signal',
  })
  @IsOptional()
  @IsIn(CONFIDENTIALITY_LEVELS)
  confidentiality?: Confidentiality;
}

export class EscalateDto {
  @ApiProperty({ example: 'Het overleg heeft geen doorbraak opgeleverd' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  reason!: string;
}

export class ResolveDto {
  @ApiProperty({ example: 'Urgentie toegekend, woning aangeboden' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  outcome!: string;
}

export class WithdrawDto extends EscalateDto {}
export class ReopenDto extends EscalateDto {}

export class DirectiveDto {
  @ApiProperty({ example: 'Woningcorporatie Almere' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation!: string;

  @ApiProperty({ example: 'Bied binnen vier weken een passende woning aan' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  description!: string;

  @ApiProperty({ format: 'date' })
  @IsDateOnly()
  dueDate!: string;
}

export class DecisionDto {
  @ApiProperty({ example: 'Urgentie als uitzondering op de verordening' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  solution!: string;

  @ApiProperty({ enum: MAATWERK_KINDS })
  @IsIn(MAATWERK_KINDS)
  maatwerk!: MaatwerkKind;

  @ApiProperty({
    example:
      'Geen enkele corporatie kan binnen de regels een woning bieden; zonder uitzondering raakt het gezin de kinderen kwijt',
    description: 'Mandatory; under 80 characters is 422',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  justification!: string;

  @ApiProperty({ type: [DirectiveDto] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DirectiveDto)
  directives!: DirectiveDto[];

  @ApiPropertyOptional({ description: 'Maatwerkbudget in whole euros' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  budgetEuros?: number;
}
