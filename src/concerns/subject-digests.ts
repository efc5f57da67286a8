import type { PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';
import type { Address } from '../families/address.js';
import { addressDigest as addressIndex, bsnDigest } from '../families/subject-index.js';

/**
 * How a concern finds its person without plaintext: keyed blind indexes (HMAC under a key the
 * database does not hold), over one spelling of each identifying fact. `person` is the family
 * name with the date of birth; `member` is a family member intake linked a concern to.
 */
export type DigestKind = 'bsn' | 'person' | 'address' | 'member';

export interface SubjectDigest {
  readonly kind: DigestKind;
  readonly digest: string;
}

/** Case, accents and spacing do not make another name: "de  Vriés" is "de vries". */
export function normalizeName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

export interface Identifying {
  readonly bsn?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: string;
}

/** The digests of what identifies a person (a concern's subject or a family member). */
export function personDigests(vault: PersonalDataVault, person: Identifying): SubjectDigest[] {
  const digests: SubjectDigest[] = [];
  if (person.bsn) digests.push({ kind: 'bsn', digest: bsnDigest(vault, person.bsn) });
  if (person.familyName && person.dateOfBirth) {
    const key = `${normalizeName(person.familyName)} ${person.dateOfBirth}`;
    digests.push({ kind: 'person', digest: vault.blindIndex('person', key) });
  }
  return digests;
}

export function addressDigest(vault: PersonalDataVault, address: Address): SubjectDigest {
  return { kind: 'address', digest: addressIndex(vault, address) };
}

export function memberDigest(vault: PersonalDataVault, memberId: string): SubjectDigest {
  return { kind: 'member', digest: vault.blindIndex('member', memberId) };
}
