/**
 * What names a member but is withheld from them for now: the ids (as an access-log entry's
 * memberIds hold them) of records they may not yet learn of, such as a safety concern whose
 * restriction intake has not lifted (concerns.md "Privacy"). The access log's entries naming
 * such an id are left out of the member's own views. Whoever knows those records provides it
 * (citizen-data, above privacy), so privacy never reads another capability's tables.
 */
export abstract class WithheldFromMember {
  abstract ids(memberId: string): Promise<readonly string[]>;
}
