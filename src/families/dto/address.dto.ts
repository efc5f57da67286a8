import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { HOUSE_NUMBER_PATTERN, POSTCODE_PATTERN } from '../address.js';

/** An address: personal data, sealed with the family's key and matched by a blind index. */
export class AddressDto {
  @ApiProperty({
    example: '1354 AB',
    pattern: POSTCODE_PATTERN.source,
    description: 'Dutch postcode: four digits (not starting with 0) and two letters',
  })
  @IsString()
  @Matches(POSTCODE_PATTERN, { message: 'postcode must be a Dutch postcode such as 1354 AB' })
  postcode!: string;

  @ApiProperty({
    example: '12A',
    pattern: HOUSE_NUMBER_PATTERN.source,
    description: 'House number with its addition, if any',
  })
  @IsString()
  @Matches(HOUSE_NUMBER_PATTERN, {
    message: 'houseNumber must be a house number such as 12, 12A or 12-2',
  })
  houseNumber!: string;
}
