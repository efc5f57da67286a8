import type { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { addressKey, type Address } from './address.js';

/**
 * The blind-index digests of a person's BSN and of a household's address, one normalisation for
 * every capability that finds people without plaintext (emergency access, concerns).
 */
export const bsnDigest = (vault: PersonalDataVault, bsn: string) =>
  vault.blindIndex('bsn', bsn.trim());

export const addressDigest = (vault: PersonalDataVault, address: Address) =>
  vault.blindIndex('address', addressKey(address));
