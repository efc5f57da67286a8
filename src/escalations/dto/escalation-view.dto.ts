import { ApiProperty } from '@nestjs/swagger';
import {
  DateProperty,
  EXAMPLE_TIME,
  IdProperty,
  PositionProperty,
  Scoped,
  TimeProperty,
} from '#libs/http/openapi/doc-properties.js';
import { RegieHolderDto } from '../../families/dto/family-view.dto.js';
import { MAATWERK_KINDS, SIGNAL_CATEGORIES } from '../escalation.model.js';

const STATUSES = ['open', 'resolved', 'withdrawn'];

export class SignalRaisedDto {
  @IdProperty() signalId!: string;
  @IdProperty() escalationId!: string;
  @PositionProperty() position!: string;
}

export class ActorDto {
  @ApiProperty({ example: 'prof-sanne' }) userId!: string;
  @Scoped({ type: String, example: 'Sanne de Vries' }) name?: string;
  @Scoped({ type: String, example: 'SLT Haven' }) organisation?: string;
  @Scoped({ type: String, example: 'professional' }) role?: string;
}

/**
 * An escalation in a list. The SLT team lead gets level, status and age only (`ageDays`); the
 * others the summary fields.
 */
export class EscalationSummaryDto {
  @IdProperty() escalationId!: string;
  @Scoped({ type: String, format: 'uuid', example: '0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e' })
  familyId?: string;
  @ApiProperty({
    enum: [0, 1, 2],
    type: 'integer',
    description: '0 signal, 1 procesregie, 2 brandpunt',
  })
  level!: number;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @Scoped({ type: RegieHolderDto, nullable: true }) holder?: RegieHolderDto | null;
  @Scoped({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME })
  dueAt?: string | null;
  @Scoped({ type: Boolean, example: false }) overdue?: boolean;
  @Scoped({ enum: SIGNAL_CATEGORIES }) category?: string;
  @Scoped({ type: Boolean, example: false, description: 'Raised by the system' })
  automatic?: boolean;
  @Scoped({ type: String, format: 'date-time', example: EXAMPLE_TIME }) raisedAt?: string;
  @Scoped({ type: 'integer', example: 3, description: 'Team lead only: whole days since raised' })
  ageDays?: number;
}

export class EscalationListDto {
  @ApiProperty({ type: [EscalationSummaryDto] }) items!: EscalationSummaryDto[];
}

export class SignalViewDto {
  @IdProperty() signalId!: string;
  @ApiProperty({ enum: SIGNAL_CATEGORIES }) category!: string;
  @Scoped({ type: String, example: 'Geen woningcorporatie wil een woning aanbieden' })
  description?: string;
  @ApiProperty({ example: false }) automatic!: boolean;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Automatic signals' })
  cause!: string | null;
  @ApiProperty({ example: 'prof-sanne' }) raisedBy!: string;
  @TimeProperty() raisedAt!: string;
}

export class DeadlinesDto {
  @TimeProperty() respondBy!: string;
  @TimeProperty() resolveBy!: string;
}

export class HistoryEntryDto {
  @TimeProperty() at!: string;
  @ApiProperty({ example: 'escalation.SignalRaised' }) event!: string;
  @ApiProperty({ type: 'integer', example: 0 }) level!: number;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @Scoped({ type: String, example: 'prof-sanne' }) onBehalfOf?: string;
  @Scoped({
    type: 'object',
    additionalProperties: true,
    example: { reason: 'Het overleg heeft geen doorbraak opgeleverd' },
    description: 'What the step said (full dossier only)',
  })
  details?: Record<string, unknown>;
}

export class LevelPeriodDto {
  @ApiProperty({ type: 'integer', example: 0 }) level!: number;
  @TimeProperty() enteredAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  leftAt!: string | null;
  @ApiProperty({ example: 1.5, description: 'Days in this level (until now while in it)' })
  days!: number;
}

export class DirectiveViewDto {
  @IdProperty() directiveId!: string;
  @ApiProperty({ example: 'Woningcorporatie Almere' }) organisation!: string;
  @Scoped({ type: String, example: 'Bied binnen vier weken een passende woning aan' })
  description?: string;
  @DateProperty() dueDate!: string;
  @ApiProperty({ enum: ['open', 'done'] }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  completedAt!: string | null;
  @ApiProperty({ example: false }) overdue!: boolean;
}

export class DecisionViewDto {
  @Scoped({ type: String, example: 'Urgentie als uitzondering op de verordening' })
  solution?: string;
  @ApiProperty({ enum: MAATWERK_KINDS }) maatwerk!: string;
  @Scoped({ type: String, example: 'De situatie van het gezin vraagt om een uitzondering' })
  justification?: string;
  @Scoped({ type: 'integer', nullable: true, example: 5000 }) budgetEuros?: number | null;
  @TimeProperty() decidedAt!: string;
  @ApiProperty({ type: [DirectiveViewDto] }) directives!: DirectiveViewDto[];
}

/** One escalation: the summary fields, and the dossier as far as the caller may read it. */
export class EscalationDto extends EscalationSummaryDto {
  @Scoped({ type: SignalViewDto }) signal?: SignalViewDto;
  @Scoped({ type: DeadlinesDto }) deadlines?: DeadlinesDto;
  @Scoped({ type: String, format: 'date-time', nullable: true, example: null })
  respondedAt?: string | null;
  @Scoped({ type: [HistoryEntryDto] }) history?: HistoryEntryDto[];
  @Scoped({ type: [LevelPeriodDto] }) timeInLevels?: LevelPeriodDto[];
  @Scoped({ type: DecisionViewDto, nullable: true }) decision?: DecisionViewDto | null;
  @Scoped({ type: String, format: 'date-time', nullable: true, example: null })
  closedAt?: string | null;
  @Scoped({ type: String, nullable: true, example: null, description: 'Resolved: the outcome' })
  outcome?: string | null;
  @Scoped({ type: String, nullable: true, example: null, description: 'Withdrawn: why' })
  withdrawalReason?: string | null;
  @Scoped({ type: 'integer', example: 0, description: 'Times reopened' }) reopened?: number;
}
