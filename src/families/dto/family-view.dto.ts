import { ApiProperty } from '@nestjs/swagger';
import { IdProperty, Scoped, TextProperty } from '#libs/http/openapi/doc-properties.js';
import { LIFE_DOMAINS } from '../../kernel/life-domains.js';

export class RegieHolderDto {
  @TextProperty('prof-sanne', { description: 'The professional’s user id (`sub`)' })
  professionalId!: string;
  @TextProperty('Sanne de Vries') name!: string;
  @TextProperty('SLT Haven') organisation!: string;
}

export class FamilyRegieDto {
  @Scoped({ type: RegieHolderDto, nullable: true }) casusregisseur?: RegieHolderDto | null;
  @Scoped({ type: RegieHolderDto, nullable: true })
  perspectiefregisseur?: RegieHolderDto | null;
  @Scoped({ type: RegieHolderDto, nullable: true }) procesregisseur?: RegieHolderDto | null;
}

export class CaseTeamProfessionalDto extends RegieHolderDto {
  @TextProperty('SLT') discipline!: string;
  @Scoped({ enum: LIFE_DOMAINS, isArray: true, example: ['housing'] })
  lifeDomains?: string[];
}

export class FamilyMemberViewDto {
  @Scoped({ type: String, format: 'uuid', example: '5c2d7a10-1b3e-4f6a-8c9d-0e1f2a3b4c5d' })
  memberId?: string;
  @Scoped({ type: String, example: 'P-4gkT0aZ1xQ', description: 'For viewers who see pseudonyms' })
  pseudonym?: string;
  @Scoped({ type: String, example: 'Paulien' }) givenName?: string;
  @Scoped({ type: String, example: 'de Vries' }) familyName?: string;
  @Scoped({ type: String, format: 'date', example: '1986-03-14' }) dateOfBirth?: string;
  @Scoped({ type: 'integer', example: 40 }) age?: number;
  @ApiProperty({ enum: ['parent', 'child', 'other'] }) role!: string;
  @ApiProperty({ enum: ['current', 'departed'] }) status!: string;
  @Scoped({ type: String, example: '******333', description: 'Masked: the last three digits' })
  bsn?: string;
  @Scoped({ type: Boolean, example: false, description: 'The personal data was destroyed' })
  erased?: boolean;
}

export class NetworkMemberViewDto {
  @IdProperty() networkId!: string;
  @Scoped({ type: String, example: 'Oma Ria' }) name?: string;
  @TextProperty('grandmother') relation!: string;
  @ApiProperty({ example: false }) erased!: boolean;
}

export class AddressViewDto {
  @TextProperty('1354AB') postcode!: string;
  @TextProperty('12A') houseNumber!: string;
}

/** A family as the caller may see it (privacy.md): what they may not see is left out. */
export class FamilyViewDto {
  @IdProperty() familyId!: string;
  @Scoped({ type: String, format: 'uuid', example: '0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d01' })
  teamId?: string;
  @Scoped({ enum: ['draft', 'agreed', 'closed'], nullable: true }) planStatus?: string | null;
  @Scoped({ type: [FamilyMemberViewDto] }) members?: FamilyMemberViewDto[];
  @Scoped({ type: [NetworkMemberViewDto] }) network?: NetworkMemberViewDto[];
  @Scoped({ type: AddressViewDto, description: 'For who sees the full composition' })
  address?: AddressViewDto;
  @Scoped({ type: [CaseTeamProfessionalDto] }) caseTeam?: CaseTeamProfessionalDto[];
  @Scoped({ type: FamilyRegieDto }) regie?: FamilyRegieDto;
}
