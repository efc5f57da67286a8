import { ApiProperty } from '@nestjs/swagger';

const CHECKS = {
  type: 'object',
  additionalProperties: true,
  example: { database: { status: 'up' }, eventStore: { status: 'up', kind: 'postgres' } },
} as const;

export class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: string;
  @ApiProperty({ ...CHECKS, description: 'The checks that are up' }) info!: object;
  @ApiProperty({ ...CHECKS, example: {}, description: 'The checks that are down' }) error!: object;
  @ApiProperty({ ...CHECKS, description: 'Every check' }) details!: object;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: string;
}
