import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsDateOnly } from '#libs/http/validators.js';
import {
  ACHIEVEMENT_STATUS,
  CLOSURE_REASONS,
  GOAL_LIFECYCLE,
  type AchievementStatus,
  type AssigneeKind,
  type ClosureReason,
  type GoalLifecycle,
  type PartyKind,
} from '../plan.model.js';
import {
  CONFIDENTIALITY_LEVELS,
  LIFE_DOMAINS,
  type Confidentiality,
  type LifeDomain,
} from '../../kernel/life-domains.js';

export class AddGoalDto {
  @ApiProperty({
    example: 'Een huis waar mijn kinderen en ik kunnen wonen',
    description: "The family's own words",
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  familyWording!: string;

  @ApiPropertyOptional({ example: 'Passende huisvesting binnen 6 maanden' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  professionalWording?: string;

  @ApiProperty({
    type: [String],
    example: ['5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d'],
    description: 'memberIds of the members the goal concerns',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  concerns!: string[];

  @ApiProperty({ enum: LIFE_DOMAINS })
  @IsIn(LIFE_DOMAINS)
  lifeDomain!: LifeDomain;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsDateOnly()
  targetDate?: string;

  @ApiPropertyOptional({
    enum: CONFIDENTIALITY_LEVELS,
    description: 'Default depends on the life domain',
  })
  @IsOptional()
  @IsIn(CONFIDENTIALITY_LEVELS)
  confidentiality?: Confidentiality;
}

export class ChangeGoalDto {
  @ApiPropertyOptional({ enum: GOAL_LIFECYCLE })
  @IsOptional()
  @IsIn(GOAL_LIFECYCLE)
  lifecycleStatus?: GoalLifecycle;

  @ApiPropertyOptional({ enum: ACHIEVEMENT_STATUS })
  @IsOptional()
  @IsIn(ACHIEVEMENT_STATUS)
  achievementStatus?: AchievementStatus;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsDateOnly()
  targetDate?: string;
}

export class AssigneeDto {
  @ApiProperty({ enum: ['member', 'network', 'professional'] })
  @IsIn(['member', 'network', 'professional'])
  kind!: AssigneeKind;

  @ApiProperty({ example: 'prof-sanne', description: 'memberId, networkId or professionalId' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;
}

export class AddActionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  goalId!: string;

  @ApiProperty({ example: 'Aanmelden bij de woningcorporatie' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  description!: string;

  @ApiProperty({ type: AssigneeDto })
  @IsDefined()
  // ValidateNested alone takes an array and checks its items: [] would pass.
  @IsObject()
  @ValidateNested()
  @Type(() => AssigneeDto)
  assignee!: AssigneeDto;

  @ApiProperty({ format: 'date' })
  @IsDateOnly()
  dueDate!: string;

  @ApiPropertyOptional({ enum: CONFIDENTIALITY_LEVELS })
  @IsOptional()
  @IsIn(CONFIDENTIALITY_LEVELS)
  confidentiality?: Confidentiality;
}

export class AddNoteDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  goalId?: string;

  @ApiProperty({ example: 'Gesprek met de corporatie gevoerd; een woning komt vrij in maart' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  text!: string;

  @ApiPropertyOptional({ enum: CONFIDENTIALITY_LEVELS })
  @IsOptional()
  @IsIn(CONFIDENTIALITY_LEVELS)
  confidentiality?: Confidentiality;

  @ApiPropertyOptional({ description: 'This note is the periodic evaluation of the plan' })
  @IsOptional()
  @IsBoolean()
  evaluation?: boolean;
}

export class PartyDto {
  @ApiProperty({ enum: ['member', 'organisation'] })
  @IsIn(['member', 'organisation'])
  kind!: PartyKind;

  @ApiProperty({
    example: '5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d',
    description: 'a memberId, or the organisation name as in the token',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id!: string;
}

export class SignPlanDto {
  @ApiProperty({ type: PartyDto })
  @IsDefined()
  // ValidateNested alone takes an array and checks its items: [] would pass.
  @IsObject()
  @ValidateNested()
  @Type(() => PartyDto)
  party!: PartyDto;
}

export class ClosePlanDto {
  @ApiProperty({ enum: CLOSURE_REASONS })
  @IsIn(CLOSURE_REASONS)
  reason!: ClosureReason;
}
