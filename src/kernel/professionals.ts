/** A professional on a family's case team, as the family's stream records them. */
export interface CaseTeamProfessional {
  readonly professionalId: string;
  readonly name: string;
  readonly organisation: string;
  readonly discipline: string;
  readonly lifeDomains?: readonly string[];
}
