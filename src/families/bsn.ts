/**
 * The Dutch BSN "11-proof": nine digits d1..d9 with 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible
 * by 11 (and not all zeros).
 */
export function isValidBsn(value: string): boolean {
  if (!/^\d{9}$/.test(value) || value === '000000000') return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 8).reduce((acc, d, i) => acc + d * (9 - i), 0) - digits[8];
  return sum % 11 === 0;
}

/** Shows only the last three digits: enough to tell two members apart, not enough to use. */
export function maskBsn(value: string): string {
  return `******${value.slice(-3)}`;
}
