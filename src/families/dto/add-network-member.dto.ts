import { ApiProperty } from '@nestjs/swagger';

// The request body is a NewNetworkMemberDto (./register-family.dto.ts).

export class AddNetworkMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ description: 'Global position of the last event; use with X-Consistent-After' })
  position!: string;
}
