import { isErased, type PersonalDataVault } from '#libs/personal-data/personal-data-vault.js';

/** A member's date of birth from their sealed personal data; null once it was erased. */
export async function dateOfBirthOf(
  vault: PersonalDataVault,
  personal: string,
): Promise<string | null> {
  const opened = await vault.open<{ dateOfBirth: string }>(personal);
  return isErased(opened) ? null : opened.dateOfBirth;
}
