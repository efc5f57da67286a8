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
import { ACHIEVEMENT_STATUS, CLOSURE_REASONS, GOAL_LIFECYCLE } from '../plan.model.js';
import { CONFIDENTIALITY_LEVELS, LIFE_DOMAINS } from '../../kernel/life-domains.js';

const PLAN_STATUS = ['draft', 'agreed', 'closed'];
const MEMBER_ID = '5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d';

export class PlanOpenedDto {
  @IdProperty() planId!: string;
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @PositionProperty() position!: string;
}

export class GoalAddedDto {
  @IdProperty() goalId!: string;
  @PositionProperty() position!: string;
}

export class ActionAddedDto {
  @IdProperty() actionId!: string;
  @PositionProperty() position!: string;
}

export class NoteAddedDto {
  @IdProperty() noteId!: string;
  @PositionProperty() position!: string;
}

/** Goals, actions and notes show their texts only to those who may read them (privacy.md). */
export class GoalViewDto {
  @IdProperty() goalId!: string;
  @Scoped({
    type: String,
    nullable: true,
    example: 'Een huis waar mijn kinderen en ik kunnen wonen',
    description: 'null once erased (retention)',
  })
  familyWording?: string | null;
  @Scoped({ type: String, nullable: true, example: 'Passende huisvesting binnen 6 maanden' })
  professionalWording?: string | null;
  @ApiProperty({ type: [String], format: 'uuid', example: [MEMBER_ID] }) concerns!: string[];
  @Scoped({ enum: LIFE_DOMAINS }) lifeDomain?: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-06-30' })
  targetDate!: string | null;
  @ApiProperty({ enum: CONFIDENTIALITY_LEVELS }) confidentiality!: string;
  @ApiProperty({ enum: GOAL_LIFECYCLE }) lifecycleStatus!: string;
  @ApiProperty({ enum: ACHIEVEMENT_STATUS }) achievementStatus!: string;
  @Scoped({ type: String, example: 'prof-sanne' }) authorId?: string;
}

export class AssigneeViewDto {
  @ApiProperty({ enum: ['member', 'network', 'professional'] }) kind!: string;
  @ApiProperty({ example: 'prof-sanne', description: 'memberId, networkId or professionalId' })
  id!: string;
  @Scoped({ type: String, example: 'SLT Haven' }) organisation?: string;
}

export class ActionViewDto {
  @IdProperty() actionId!: string;
  @IdProperty() goalId!: string;
  @Scoped({ type: String, example: 'Aanmelden bij de woningcorporatie' }) description?: string;
  @ApiProperty({ type: AssigneeViewDto }) assignee!: AssigneeViewDto;
  @DateProperty() dueDate!: string;
  @ApiProperty({ enum: CONFIDENTIALITY_LEVELS }) confidentiality!: string;
  @ApiProperty({ enum: ['open', 'done', 'cancelled'] }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  completedAt!: string | null;
  @ApiProperty({ example: false, description: 'Open and past its due date' }) overdue!: boolean;
  @Scoped({ type: String, example: 'prof-sanne' }) authorId?: string;
}

export class NoteViewDto {
  @IdProperty() noteId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  goalId!: string | null;
  @Scoped({ type: String, example: 'Gesprek met de corporatie gevoerd' }) text?: string;
  @ApiProperty({ enum: CONFIDENTIALITY_LEVELS }) confidentiality!: string;
  @ApiProperty({ example: false, description: 'The periodic evaluation of the plan' })
  evaluation!: boolean;
  @TimeProperty() writtenAt!: string;
  @ApiProperty({ example: 'prof-sanne' }) authorId!: string;
}

export class PartyViewDto {
  @ApiProperty({ enum: ['member', 'organisation'] }) kind!: string;
  @ApiProperty({ example: MEMBER_ID, description: 'A memberId, or an organisation’s name' })
  id!: string;
}

export class PlanSignedDto {
  @ApiProperty({ enum: PLAN_STATUS, description: '`agreed` once every required party signed' })
  planStatus!: string;
  @ApiProperty({
    type: [PartyViewDto],
    description: 'The parties whose signature this version still needs; empty once agreed',
  })
  stillToSign!: PartyViewDto[];
  @PositionProperty() position!: string;
}

export class SignatureDto {
  @ApiProperty({ type: PartyViewDto }) party!: PartyViewDto;
  @ApiProperty({ example: 'prof-sanne', description: 'Who signed (for a member: on behalf)' })
  signedBy!: string;
  @TimeProperty() signedAt!: string;
  @Scoped({ type: String, format: 'uuid', example: MEMBER_ID }) onBehalfOf?: string;
}

export class AgreementDto {
  @ApiProperty({ type: [PartyViewDto], description: 'Who must sign this version' })
  requiredParties!: PartyViewDto[];
  @ApiProperty({ type: [SignatureDto] }) signatures!: SignatureDto[];
}

export class PlanRegieDto {
  @ApiProperty({ type: RegieHolderDto, nullable: true }) casusregisseur!: RegieHolderDto | null;
  @Scoped({ type: RegieHolderDto, nullable: true })
  perspectiefregisseur?: RegieHolderDto | null;
  @Scoped({ type: RegieHolderDto, nullable: true }) procesregisseur?: RegieHolderDto | null;
  @Scoped({ type: String, format: 'date-time', nullable: true, example: null })
  casusregieVacantSince?: string | null;
}

export class TransitionReviewDto {
  @IdProperty() memberId!: string;
  @DateProperty({ description: 'The member’s 18th birthday' }) turns18On!: string;
}

/** The plan's zaak in the municipality's zaaksysteem (zgw.md). */
export class PlanZaakDto {
  @ApiProperty({ example: 'GZP-5d1f0c7e-8a43-4c1b-9f2e-0b6a1d3c7e21' }) identificatie!: string;
  @ApiProperty({ description: 'Everything recorded about the plan has reached the zaaksysteem' })
  upToDate!: boolean;
}

/** A plan (or one version of it) as the caller may see it (privacy.md). */
export class PlanViewDto {
  @IdProperty() planId!: string;
  @ApiProperty({ enum: PLAN_STATUS }) status!: string;
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @Scoped({ type: String, format: 'date-time', example: EXAMPLE_TIME }) openedAt?: string;
  @Scoped({ type: [GoalViewDto] }) goals?: GoalViewDto[];
  @Scoped({ type: [ActionViewDto] }) actions?: ActionViewDto[];
  @Scoped({ type: [NoteViewDto] }) notes?: NoteViewDto[];
  @Scoped({ type: AgreementDto }) agreement?: AgreementDto;
  @Scoped({ type: String, format: 'date', nullable: true, example: '2027-04-15' })
  evaluationDueAt?: string | null;
  @Scoped({
    type: [TransitionReviewDto],
    description: 'Members within 6 months of 18 (for the case team)',
  })
  transitionReview?: TransitionReviewDto[];
  @Scoped({ type: PlanRegieDto }) regie?: PlanRegieDto;
  @Scoped({ type: String, format: 'date-time', nullable: true, example: null })
  closedAt?: string | null;
  @Scoped({ enum: CLOSURE_REASONS, nullable: true }) closureReason?: string | null;
  @Scoped({
    type: PlanZaakDto,
    description: 'For the casusregisseur, when the zaaksysteem registration is configured',
  })
  zaak?: PlanZaakDto;
}

export class PlanVersionSummaryDto {
  @ApiProperty({ type: 'integer', example: 1 }) version!: number;
  @ApiProperty({ enum: PLAN_STATUS }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: EXAMPLE_TIME })
  agreedAt!: string | null;
}

export class PlanVersionsDto {
  @ApiProperty({ type: [PlanVersionSummaryDto] }) versions!: PlanVersionSummaryDto[];
}
