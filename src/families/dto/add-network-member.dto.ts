import { ApiProperty } from '@nestjs/swagger';
import { PositionProperty } from '#libs/http/openapi/doc-properties.js';

// The request body is a NewNetworkMemberDto (./register-family.dto.ts).

export class AddNetworkMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @PositionProperty() position!: string;
}
