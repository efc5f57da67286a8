import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { POSTCODE_AREA } from '../team.decide.js';

const notBlank = (field: string) => Matches(/\S/, { message: `${field} must not be blank` });

export class CreateTeamDto {
  @ApiProperty({ example: 'SLT Haven', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @notBlank('name')
  name!: string;

  @ApiProperty({ example: 'Haven', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @notBlank('wijk')
  wijk!: string;

  @ApiProperty({ example: 'Almere Haven', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @notBlank('stadsdeel')
  stadsdeel!: string;

  @ApiProperty({
    required: false,
    type: [String],
    example: ['1354', '1355'],
    description: 'The four-digit postcodes (PC4) of the wijk: concerns about residents go here',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(POSTCODE_AREA, {
    each: true,
    message: 'each postcode area must be four digits, as 1354',
  })
  postcodeAreas?: string[];
}

export class PostcodeAreasDto {
  @ApiProperty({ type: [String], example: ['1354', '1355'], maxItems: 200 })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(POSTCODE_AREA, {
    each: true,
    message: 'each postcode area must be four digits, as 1354',
  })
  postcodeAreas!: string[];
}

export class CreateTeamResponseDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @PositionProperty() position!: string;
}

class TeamProfileDto {
  @ApiProperty({ type: String, nullable: true, example: 'SLT Haven' }) name!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Haven' }) wijk!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Almere Haven' })
  stadsdeel!: string | null;
}

class EscalationsByLevelDto {
  @ApiProperty({ name: '0' }) '0'!: number;
  @ApiProperty({ name: '1' }) '1'!: number;
  @ApiProperty({ name: '2' }) '2'!: number;
}

class CaseloadDto {
  @ApiProperty({ example: 'prof-sanne' }) professionalId!: string;
  @ApiProperty({ example: 'Sanne de Vries' }) name!: string;
  @ApiProperty({ description: 'Active cases whose case team includes this professional' })
  cases!: number;
}

class MembersByAgeBandDto {
  @ApiProperty({ name: '0-4' }) '0-4'!: number;
  @ApiProperty({ name: '4-12' }) '4-12'!: number;
  @ApiProperty({ name: '12-18' }) '12-18'!: number;
  @ApiProperty({ name: '18-23' }) '18-23'!: number;
  @ApiProperty({ name: '23-65' }) '23-65'!: number;
  @ApiProperty({ name: '65+' }) '65+'!: number;
  @ApiProperty({ description: 'Members whose date of birth was erased' }) unknown!: number;
}

export class TeamDashboardDto {
  @ApiProperty({ format: 'uuid' }) teamId!: string;
  @ApiProperty({ type: TeamProfileDto, description: 'null fields for a team never created' })
  team!: TeamProfileDto;
  @ApiProperty({ format: 'date', description: 'The day the figures are for: today by the clock' })
  asOf!: string;
  @ApiProperty({ description: 'Families whose plan exists and is not closed' })
  activeCases!: number;
  @ApiProperty({ description: 'Plans in draft' }) plansAwaitingAgreement!: number;
  @ApiProperty({ description: 'Open actions of active plans due before today' })
  overdueActions!: number;
  @ApiProperty({ description: 'Active agreed plans whose periodic evaluation is due' })
  evaluationsDue!: number;
  @ApiProperty({ type: EscalationsByLevelDto, description: 'Open escalations per level' })
  escalationsByLevel!: EscalationsByLevelDto;
  @ApiProperty({ type: [CaseloadDto] }) caseloadByProfessional!: CaseloadDto[];
  @ApiProperty({
    type: MembersByAgeBandDto,
    description: 'Current members of active cases per age band [from, to) in whole years',
  })
  membersByAgeBand!: MembersByAgeBandDto;
}
