import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** A signed statement of the Merkle tree over every stored event, up to a position. */
export class SealDto {
  @ApiProperty({ format: 'uuid', example: '0e7a1c52-6b9d-4f3e-8a21-5c4d3b2a1f09' }) sealId!: string;
  @ApiProperty({
    example: '812-3',
    description: 'Position of the last sealed event in the global order',
  })
  upTo!: string;
  @ApiProperty({ type: 'integer', example: 12000, description: 'Events sealed (the tree size)' })
  events!: number;
  @ApiProperty({ example: ROOT, description: 'RFC 6962 Merkle tree hash, lowercase hex' })
  root!: string;
  @ApiProperty({
    example: 'Qk9PTS1zaWduYXR1cmUtb2YtdGhlLXN0YXRlbWVudA',
    description: 'Ed25519 over the statement, base64url',
  })
  signature!: string;
  @ApiProperty({ example: 'WZniB6xflUiDavE5RyOCIw', description: 'The signing key (its kid)' })
  keyId!: string;
  @ApiProperty({ format: 'date-time', example: '2027-01-15T09:00:00.000Z' }) sealedAt!: string;
  @ApiProperty({
    example: `een-gezin-een-plan seal v1\nsize 12000\nroot ${ROOT}\nsealed-at 2027-01-15T09:00:00.000Z\nseal-id 0e7a1c52-6b9d-4f3e-8a21-5c4d3b2a1f09\n`,
    description: 'The exact text signed (libs/tamper-evidence/README.md)',
  })
  statement!: string;
}

export class SealListDto {
  @ApiProperty({ type: [SealDto] }) items!: SealDto[];
}

/** The key seals are signed with, for offline checks (RFC 8037). */
export class SealPublicKeyDto {
  @ApiProperty({ enum: ['OKP'] }) kty!: string;
  @ApiProperty({ enum: ['Ed25519'] }) crv!: string;
  @ApiProperty({ example: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }) x!: string;
  @ApiProperty({ example: 'WZniB6xflUiDavE5RyOCIw' }) kid!: string;
  @ApiProperty({ enum: ['EdDSA'] }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
}

export const TAMPER_PROBLEM_KINDS = [
  'event-changed',
  'event-removed',
  'event-moved',
  'event-inserted',
  'chain-broken',
  'hash-mismatch',
  'root-mismatch',
  'seal-forged',
  'seal-edited',
  'seal-not-in-sink',
  'seal-differs-from-sink',
  'seal-removed',
  'seals-inconsistent',
  'tree-shorter-than-seal',
  'tree-edited',
] as const;

export class TamperProblemDto {
  @ApiProperty({ enum: TAMPER_PROBLEM_KINDS }) kind!: string;
  @ApiProperty({ example: 'family-3b9e…@1 (event 6f1c…) was changed after it was sealed' })
  message!: string;
  @ApiPropertyOptional({ format: 'uuid' }) sealId?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Leaf index in the Merkle tree' })
  leaf?: number;
  @ApiPropertyOptional({ format: 'uuid' }) eventId?: string;
  @ApiPropertyOptional({ example: 'family-3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10' })
  streamId?: string;
  @ApiPropertyOptional({ type: 'integer' }) streamVersion?: number;
}

/** The whole store checked against its seals. */
export class StoreVerificationDto {
  @ApiProperty({ example: true }) valid!: boolean;
  @ApiProperty({ type: 'integer', example: 12000, description: 'Events read' }) events!: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'Seals checked' }) seals!: number;
  @ApiProperty({ type: [TamperProblemDto] }) problems!: TamperProblemDto[];
}

/** The eight fields an event's chain hash covers, exactly as hashed (hash-chain.ts). */
export class HashedContentDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'family-3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10' }) streamId!: string;
  @ApiProperty({ type: 'integer', example: 0 }) streamVersion!: number;
  @ApiProperty({ example: 'family.FamilyRegistered' }) type!: string;
  @ApiProperty({ type: 'integer', example: 1 }) schemaVersion!: number;
  @ApiProperty({
    example:
      '{"teamId": "0b5f8a52-6a2e-4c1e-9d3f-5a7e1c2b9d01", "familyId": "3b9e6c1e-4f2a-4d8b-9a61-2f0c5d7e8a10"}',
    description: 'The data as hashed (JSON text; personal data sealed)',
  })
  dataJson!: string;
  @ApiProperty({
    example:
      '{"actor": {"userId": "prof-sanne"}, "eventId": "6f1c2a3b-9d8e-4f7a-8b6c-5d4e3f2a1b0c"}',
    description: 'The metadata as hashed (JSON text)',
  })
  metadataJson!: string;
  @ApiProperty({ example: '2027-01-15T09:00:00.123000Z' }) recordedAt!: string;
}

export class ProvenEventDto {
  @ApiProperty({ type: 'integer', description: 'Leaf index in the Merkle tree' }) leaf!: number;
  @ApiProperty({ example: '812-3' }) position!: string;
  @ApiProperty({ type: HashedContentDto }) content!: HashedContentDto;
  @ApiProperty({ type: String, nullable: true, description: 'hex; null for version 0' })
  prevHash!: string | null;
  @ApiProperty({
    example: ROOT,
    description: 'The chain hash, hex; the leaf is SHA-256(0x00 ‖ hash)',
  })
  hash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion proof, hex' })
  proof!: string[];
}

export class ProofSealDto {
  @ApiProperty({ format: 'uuid' }) sealId!: string;
  @ApiProperty({ type: 'integer' }) size!: number;
  @ApiProperty({ example: ROOT }) root!: string;
  @ApiProperty({ format: 'date-time' }) sealedAt!: string;
  @ApiProperty({ example: 'WZniB6xflUiDavE5RyOCIw' }) keyId!: string;
  @ApiProperty({ example: 'Qk9PTS1zaWduYXR1cmUtb2YtdGhlLXN0YXRlbWVudA' }) signature!: string;
  @ApiProperty({
    example: `een-gezin-een-plan seal v1\nsize 12000\nroot ${ROOT}\nsealed-at 2027-01-15T09:00:00.000Z\nseal-id 0e7a1c52-6b9d-4f3e-8a21-5c4d3b2a1f09\n`,
  })
  statement!: string;
}

/** What scripts/verify-family-proof.mjs checks offline (docs/tamper-evidence.md). */
export class FamilyProofDto {
  @ApiProperty({ format: 'uuid' }) familyId!: string;
  @ApiProperty({ type: ProofSealDto }) seal!: ProofSealDto;
  @ApiProperty({ type: [ProvenEventDto] }) events!: ProvenEventDto[];
}
