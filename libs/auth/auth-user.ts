export const ROLES = [
  'professional',
  'team_lead',
  'procesregisseur',
  'brandpuntfunctionaris',
  'auditor',
  'privacy_officer',
  'policy_analyst',
  'citizen',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

/** The verified caller, from the token's claims (api.md, "Authentication"). */
export interface AuthUser {
  readonly sub: string;
  readonly name: string;
  readonly organisation: string;
  readonly roles: readonly Role[];
  readonly teams: readonly string[];
  readonly memberId?: string;
}
