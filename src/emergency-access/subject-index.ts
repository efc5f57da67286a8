import type { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import { addressKey, type Address } from '../families/address.js';

/** The blind-index digests an emergency search compares (the same normalisation both ways). */
export const bsnDigest = (vault: PersonalDataVault, bsn: string) =>
  vault.blindIndex('bsn', bsn.trim());

export const addressDigest = (vault: PersonalDataVault, address: Address) =>
  vault.blindIndex('address', addressKey(address));
