import type { AuthUser } from '../../libs/auth/auth-user.js';
import { forbidden, notFound } from '../../libs/http/problem-details.js';
import { canActOnFamily, type FamilyAccessState } from '../families/family-access.js';
import type { Regie } from '../plans/plan.model.js';
import type { Escalation, Level } from './escalation.model.js';

/** The role whose pool picks up a level that has no holder yet. */
export const POOL_ROLE: Record<Level, 'procesregisseur' | 'brandpuntfunctionaris' | null> = {
  0: null,
  1: 'procesregisseur',
  2: 'brandpuntfunctionaris',
};

/** What one caller is to one escalation; every command's permission is decided from this. */
export class EscalationAccess {
  readonly onFamily: boolean;
  readonly isHolder: boolean;
  readonly isTeamLead: boolean;
  readonly isCasusregisseur: boolean;
  readonly inPool: boolean;

  constructor(
    readonly escalation: Escalation,
    family: FamilyAccessState,
    regie: Regie,
    readonly user: AuthUser,
  ) {
    this.onFamily = canActOnFamily(family, user);
    this.isHolder = escalation.holder?.professionalId === user.sub;
    this.isTeamLead = user.roles.includes('team_lead') && user.teams.includes(escalation.teamId);
    this.isCasusregisseur = regie.casusregisseur?.professionalId === user.sub;
    const pool = POOL_ROLE[escalation.level];
    this.inPool = pool !== null && user.roles.includes(pool);
  }

  /** Same rule as the escalation views' WHERE clause (escalation-view.query.ts). */
  get visible(): boolean {
    const e = this.escalation;
    return (
      this.onFamily ||
      e.involved.includes(this.user.sub) ||
      this.inPool ||
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
