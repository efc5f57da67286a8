import { describe, expect, it } from '@jest/globals';
import { isValidBsn, maskBsn } from './bsn.js';

describe('BSN 11-proof', () => {
  it.each(['111222333', '123456782', '999990019'])('accepts %s', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
  });

  it.each(['123456789', '111222334', '12345678', '1234567890', '12345678a', '000000000'])(
    'refuses %s',
    (bsn) => {
      expect(isValidBsn(bsn)).toBe(false);
    },
  );

  it('masks all but the last three digits', () => {
    expect(maskBsn('123456782')).toBe('******782');
  });
});
