import type { AuthUser } from '#libs/auth/auth-user.js';
import { forbidden, notFound } from '#libs/http/problem-details.js';
import { actsOnFamily, type FamilyAccessState } from '../families/family-access.js';
import type { Regie } from '../kernel/regie.js';
import type { Escalation, Level } from './escalation.model.js';

/** The role whose pool picks up a level that has no holder yet. */
export const POOL_ROLE: Record<Level, 'procesregisseur' | 'brandpuntfunctionaris' | null> = {
  0: null,
  1: 'procesregisseur',
  2: 'brandpuntfunctionaris',
};

/** The level's pool, while nobody holds the level (or the caller is the one who does). */
export function inPoolOf(
  e: Pick<Escalation, 'level' | 'holder'>,
  user: Pick<AuthUser, 'sub' | 'roles'>,
): boolean {
  const pool = POOL_ROLE[e.level];
  if (pool === null || !user.roles.includes(pool)) return false;
  return e.holder === null || e.holder.professionalId === user.sub;
}

/**
 * What one caller is to one escalation; every command's permission is decided from this.
 * `onFamily` is "acts on the family" (its case team, regisseurs and team lead: an SLT colleague
 * who is not on the case is not). The pool of a level reads and takes up the level only while
 * nobody holds it; once someone does, the holder alone has it (privacy.md).
 */
export class EscalationAccess {
  readonly onFamily: boolean;
  readonly isHolder: boolean;
  readonly isTeamLead: boolean;
  readonly isCasusregisseur: boolean;
  readonly inPool: boolean;
  readonly isAuditor: boolean;

  constructor(
    readonly escalation: Escalation,
    family: FamilyAccessState,
    regie: Regie,
    readonly user: AuthUser,
  ) {
    this.onFamily = actsOnFamily(family, regie, user);
    this.isHolder = escalation.holder?.professionalId === user.sub;
    this.isTeamLead = user.roles.includes('team_lead') && user.teams.includes(escalation.teamId);
    this.isCasusregisseur = regie.casusregisseur?.professionalId === user.sub;
    this.inPool = inPoolOf(escalation, user);
    this.isAuditor = user.roles.includes('auditor');
  }

  /**
   * Whoever may read the escalation (the views' WHERE clause in escalation-view.query.ts and
   * escalation-dossier.ts): they get 403 for a step that is not theirs, anyone else 404.
   */
  get visible(): boolean {
    const e = this.escalation;
    return (
      this.onFamily ||
      e.involved.includes(this.user.sub) ||
      this.inPool ||
      this.isAuditor ||
      (e.decision?.directives.some((d) => d.organisation === this.user.organisation) ?? false)
    );
  }

  assertVisible(): void {
    if (!this.visible) throw notFound('No escalation with this id');
  }

  /** Level 0 is the casusregisseur's; while casusregie is vacant, the family's team acts. */
  assertMayAcknowledge(): void {
    const e = this.escalation;
    if (this.isHolder || (e.holder === null && this.onFamily) || this.isTeamLead) return;
    throw forbidden('The casusregisseur acknowledges a signal');
  }

  /**
   * By hand: from level 0 the casusregisseur or the SLT team lead (for a safety signal anyone
   * on the case, at once); from level 1 the procesregisseur.
   */
  assertMayEscalate(): void {
    const e = this.escalation;
    if (this.isHolder || this.isTeamLead) return;
    if (e.level === 0 && (this.isCasusregisseur || (e.category === 'safety' && this.onFamily))) {
      return;
    }
    throw forbidden(
      e.level === 0
        ? 'The casusregisseur or the SLT team lead escalates a signal'
        : 'The procesregisseur escalates to the brandpuntfunctionaris',
    );
  }

  /** The SLT team lead appoints, or a professional of the level's pool takes it up. */
  assertMayAppoint(): void {
    if (this.isTeamLead || this.inPool) return;
    throw forbidden('The SLT team lead or the pool of this level appoints its holder');
  }

  /** Only the brandpuntfunctionaris who holds the level decides, not the rest of the pool. */
  assertMayDecide(): void {
    if (this.isHolder) return;
    throw forbidden('Only the brandpuntfunctionaris who holds this escalation decides');
  }

  assertMayCompleteDirective(organisation: string): void {
    if (this.isHolder || this.user.organisation === organisation) return;
    throw forbidden(
      'Only the organisation the directive is for, or the brandpuntfunctionaris, completes it',
    );
  }

  /** The holder of the level ends it; at level 0 the family's team may too, and the team lead. */
  assertMayClose(): void {
    const e = this.escalation;
    if (this.isHolder || this.isTeamLead || this.isCasusregisseur) return;
    if (e.level === 0 && this.onFamily) return;
    if (e.raisedBy === this.user.sub) return;
    throw forbidden('The holder of the current level ends an escalation');
  }

  assertMayReopen(): void {
    if (this.onFamily || this.isHolder || this.isTeamLead) return;
    throw forbidden('The family’s professionals reopen an escalation');
  }
}
