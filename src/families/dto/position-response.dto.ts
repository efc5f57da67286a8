import { ApiProperty } from '@nestjs/swagger';

export class PositionResponseDto {
  @ApiProperty({ description: 'Global position of the last event; use with X-Consistent-After' })
  position!: string;
}
