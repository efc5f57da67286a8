import { ApiProperty } from '@nestjs/swagger';

// The request body is a NewMemberDto (./register-family.dto.ts): the same fields and rules as
// a member at registration.

export class AddMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ description: 'Global position of the last event; use with X-Consistent-After' })
  position!: string;
}
