import type { AuthUser } from '#libs/auth/auth-user.js';
import { ageOn } from '#libs/clock/calendar.js';
import { emergencyRule } from './emergency-rule.js';
import type { Confidentiality, LifeDomain } from '../kernel/life-domains.js';
import type { Regie } from '../kernel/regie.js';

/**
 * What a viewer is to one family (privacy.md, "Views by viewer"). A person can be several
 * things at once (on the case team and perspectiefregisseur); `relations` lists them all,
 * strongest first, and every rule asks for the ones it needs.
 */
export type Relation =
  | 'casusregisseur'
  | 'case_team'
  | 'perspectiefregisseur'
  | 'procesregisseur'
  | 'brandpuntfunctionaris'
  | 'member'
  | 'auditor'
  | 'team_lead'
  | 'slt_colleague'
  | 'emergency';

/** How much of the family's composition a viewer gets. */
export type CompositionView = 'full' | 'names' | 'pseudonym' | 'none';

export interface ConsentGrant {
  readonly consentId: string;
  /** The member whose data is shared. */
  readonly memberId: string;
  readonly grantee: { readonly organisation: string } | { readonly memberId: string };
  readonly lifeDomain: LifeDomain;
  readonly purpose: string;
  readonly until: string | null;
  readonly withdrawn: boolean;
}

export interface FamilyFacts {
  readonly teamId: string;
  readonly members: ReadonlyArray<{
    readonly memberId: string;
    readonly role: 'parent' | 'child' | 'other';
    readonly status: 'current' | 'departed';
    readonly dateOfBirth: string | null;
  }>;
  readonly caseTeam: ReadonlyArray<{
    readonly professionalId: string;
    readonly organisation: string;
    readonly lifeDomains?: readonly LifeDomain[];
  }>;
  readonly regie: Regie;
  /** Professionals who hold or held level 1 or 2 of an escalation of this family. */
  readonly escalationHolders: ReadonlyArray<{
    readonly professionalId: string;
    readonly level: number;
  }>;
  readonly consents: readonly ConsentGrant[];
  /**
   * The caller's emergency access (break the glass) to this family that is running now, with
   * its reason in plaintext: every read it allows is logged with it.
   */
  readonly emergencyAccess?: { readonly accessId: string; readonly reason: string };
}

/** Why a read was allowed, as the access log records it (NEN 7513). */
export interface AccessBasis {
  readonly purpose: string;
  readonly rule: string;
  readonly breakTheGlass: boolean;
}

/** A plan item as the privacy rules see it. */
export interface ItemFacts {
  readonly confidentiality: Confidentiality;
  readonly lifeDomain: LifeDomain | null;
  /** Members the item concerns; empty means the whole family. */
  readonly concerns: readonly string[];
  readonly authorId?: string;
  /** Professionals named on the item (an action's assignee). */
  readonly named: readonly string[];
  /** Professionals with an action on the item's goal. */
  readonly actionHolders: readonly string[];
}

const ON_CASE: readonly Relation[] = [
  'casusregisseur',
  'case_team',
  'perspectiefregisseur',
  'procesregisseur',
  'brandpuntfunctionaris',
];

/** Ages that change what a member may see and who sees their items (Jeugdwet, WGBO). */
export const OWN_LOGIN_AGE = 12;
export const OWN_SAY_AGE = 16;
export const ADULT_AGE = 18;

export class Viewer {
  readonly relations: readonly Relation[];
  /** For a citizen: the member they are, when their token names one of this family. */
  readonly member?: FamilyFacts['members'][number];

  constructor(
    readonly user: AuthUser,
    readonly family: FamilyFacts,
    readonly today: Date,
  ) {
    const is = (id?: string | null) => id === user.sub;
    const relations: Relation[] = [];
    const professional = !this.isCitizen;
    if (professional && is(family.regie.casusregisseur?.professionalId))
      relations.push('casusregisseur');
    if (professional && family.caseTeam.some((p) => is(p.professionalId)))
      relations.push('case_team');
    if (professional && is(family.regie.perspectiefregisseur?.professionalId)) {
      relations.push('perspectiefregisseur');
    }
    const holds = (level: number) =>
      family.escalationHolders.some((h) => is(h.professionalId) && h.level === level);
    if (professional && (is(family.regie.procesregisseur?.professionalId) || holds(1))) {
      relations.push('procesregisseur');
    }
    if (professional && holds(2)) relations.push('brandpuntfunctionaris');
    const member = user.memberId
      ? family.members.find((m) => m.memberId === user.memberId && m.status === 'current')
      : undefined;
    // Under 12 there is no own login: parents act for the child.
    if (user.roles.includes('citizen') && member && this.ageOf(member.memberId) >= OWN_LOGIN_AGE) {
      this.member = member;
      relations.push('member');
    }
    if (user.roles.includes('auditor')) relations.push('auditor');
    const inTeam = user.teams.includes(family.teamId);
    if (inTeam && user.roles.includes('team_lead')) relations.push('team_lead');
    if (inTeam && professional && user.roles.includes('professional'))
      relations.push('slt_colleague');
    // Breaking the glass only matters to someone who is not on the case: it then decides what
    // they read, so it comes first (and is logged as the rule).
    const onCase = relations.some((r) => ON_CASE.includes(r));
    if (professional && family.emergencyAccess && !onCase) relations.unshift('emergency');
    this.relations = relations;
  }

  get isCitizen(): boolean {
    return this.user.roles.includes('citizen');
  }

  has(...relations: Relation[]): boolean {
    return relations.some((r) => this.relations.includes(r));
  }

  /** Nothing at all: the family is unknown to this viewer (404, never 403). */
  get knowsFamily(): boolean {
    return this.relations.length > 0;
  }

  /** Professionals working the case (not colleagues, leads or auditors looking on). */
  get onCase(): boolean {
    return this.has(...ON_CASE);
  }

  /** Emergency access reads the family and its plan as the casusregisseur does (BSN masked). */
  get readsAsCasusregisseur(): boolean {
    return this.has('casusregisseur', 'emergency');
  }

  get composition(): CompositionView {
    if (this.readsAsCasusregisseur) return 'full';
    if (this.onCase || this.has('member')) return 'names';
    if (this.has('auditor', 'team_lead', 'slt_colleague')) return 'pseudonym';
    return 'none';
  }

  /** The strongest relation: recorded in the access log as the rule that allowed a read. */
  get rule(): string {
    return this.relations[0] ?? 'none';
  }

  ageOf(memberId: string): number {
    const member = this.family.members.find((m) => m.memberId === memberId);
    return member?.dateOfBirth ? ageOn(member.dateOfBirth, this.today) : ADULT_AGE;
  }

  /**
   * What the access log records of a read this viewer makes: under emergency access it is
   * flagged and carries the professional's reason instead of the usual purpose.
   */
  accessBasis(purpose: string): AccessBasis {
    const emergency = this.family.emergencyAccess;
    if (this.relations[0] === 'emergency' && emergency) {
      return {
        purpose: emergency.reason,
        rule: emergencyRule(emergency.accessId),
        breakTheGlass: true,
      };
    }
    return { purpose, rule: this.rule, breakTheGlass: false };
  }

  /** May this viewer read the content (texts) of a plan item? */
  canRead(item: ItemFacts): boolean {
    if (this.readsAsCasusregisseur) return true;
    if (item.confidentiality === 'restricted') {
      // Authors and named people are professionals: a citizen whose token id happens to
      // match one is still a citizen.
      if (this.isCitizen) return false;
      return item.authorId === this.user.sub || item.named.includes(this.user.sub);
    }
    if (this.professionalMayRead(item)) return true;
    return this.member !== undefined && this.memberMayRead(item);
  }

  /** The procesregisseur reads titles of case_team items only (not notes). */
  canReadTitle(item: ItemFacts): boolean {
    return (
      this.canRead(item) || (this.has('procesregisseur') && item.confidentiality === 'case_team')
    );
  }

  private professionalMayRead(item: ItemFacts): boolean {
    const me = this.user.sub;
    if (item.confidentiality === 'case_team') return this.has('case_team', 'perspectiefregisseur');
    // need_to_know
    if (this.has('perspectiefregisseur')) return true;
    if (!this.has('case_team')) return false;
    if (item.actionHolders.includes(me) || item.named.includes(me) || item.authorId === me)
      return true;
    const own = this.family.caseTeam.find((p) => p.professionalId === me);
    if (item.lifeDomain && own?.lifeDomains?.includes(item.lifeDomain)) return true;
    // Every member the item concerns must have consented: one member cannot share another's.
    return this.concerned(item).every((memberId) =>
      this.consented(memberId, item.lifeDomain, { organisation: this.user.organisation }),
    );
  }

  /**
   * A member reads the items that concern them (privacy.md: "the members it concerns"), those
   * about the whole family, and those about others only when every other member it concerns
   * lets them: parents for children under 16 (16+: need_to_know only with the youth's
   * consent), anyone for an adult only with that adult's consent.
   */
  private memberMayRead(item: ItemFacts): boolean {
    const me = this.member!;
    const concerned = this.concerned(item);
    if (concerned.includes(me.memberId)) return true;
    if (item.concerns.length === 0) return true;
    return concerned.every((other) => {
      const age = this.ageOf(other);
      const consent = () => this.consented(other, item.lifeDomain, { memberId: me.memberId });
      if (age >= ADULT_AGE) return consent();
      if (me.role !== 'parent') return false;
      if (age < OWN_SAY_AGE) return true;
      return item.confidentiality === 'case_team' || consent();
    });
  }

  private concerned(item: ItemFacts): readonly string[] {
    return item.concerns.length > 0
      ? item.concerns
      : this.family.members.filter((m) => m.status === 'current').map((m) => m.memberId);
  }

  private consented(
    memberId: string,
    lifeDomain: LifeDomain | null,
    grantee: { organisation: string } | { memberId: string },
  ): boolean {
    const today = this.today.toISOString().slice(0, 10);
    return this.family.consents.some(
      (c) =>
        !c.withdrawn &&
        c.memberId === memberId &&
        c.lifeDomain === lifeDomain &&
        (c.until === null || c.until >= today) &&
        ('organisation' in grantee
          ? 'organisation' in c.grantee && c.grantee.organisation === grantee.organisation
          : 'memberId' in c.grantee && c.grantee.memberId === grantee.memberId),
    );
  }
}
