/** A Dutch address as far as matching needs it (api.md: `{postcode, houseNumber}`). */
export interface Address {
  /** Four digits and two letters, as `1354AB`. */
  readonly postcode: string;
  /** The number with its addition, as `12`, `12A` or `12-2`. */
  readonly houseNumber: string;
}

export const POSTCODE_PATTERN = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;
export const HOUSE_NUMBER_PATTERN = /^[1-9][0-9]{0,4}(?:[ -]?[A-Za-z0-9]{1,4})?$/;

/** One spelling per address, so that equal addresses seal and index alike. */
export function normalizeAddress(address: Address): Address {
  return {
    postcode: address.postcode.replace(/\s+/g, '').toUpperCase(),
    houseNumber: address.houseNumber.trim().replace(/\s+/g, '').toUpperCase(),
  };
}

/** The value a blind index of the address is computed over. */
export const addressKey = (address: Address): string => {
  const { postcode, houseNumber } = normalizeAddress(address);
  return `${postcode} ${houseNumber}`;
};
