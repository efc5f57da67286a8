import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';

// The request body is a NewMemberDto (./register-family.dto.ts): the same fields and rules as
// a member at registration.

export class AddMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @PositionProperty() position!: string;
}
