import { PositionProperty } from './doc-properties.js';

/** The answer of a command that creates nothing new to name. */
export class PositionResponseDto {
  @PositionProperty() position!: string;
}
