import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isValidBsn } from '../bsn.js';

/** A BSN: nine digits that pass the 11-proof (bsn.ts). */
@ValidatorConstraint({ name: 'bsn' })
export class BsnConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidBsn(value);
  }
  defaultMessage(): string {
    return 'bsn must be a valid BSN: nine digits that pass the 11-proof';
  }
}
