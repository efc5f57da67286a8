import type { LifeDomain } from '../../src/kernel/life-domains.js';
import {
  ALMERE_WIJKEN,
  BRANDPUNT_ORGANISATION,
  FAMILY_NAMES,
  GIVEN_NAMES,
  PARTNERS,
  PROCESREGIE_ORGANISATION,
  benchId,
  slug,
  type WijkSpec,
} from './almere.js';

/** Someone who acts in the simulation: an SLT professional, a partner, a pool member. */
export interface Professional {
  readonly sub: string;
  readonly name: string;
  readonly organisation: string;
  readonly discipline: string;
  readonly lifeDomains?: readonly LifeDomain[];
}

export interface TeamSpec extends WijkSpec {
  readonly teamId: string;
  readonly name: string;
  /** SLT professionals: they register families and hold casusregie. */
  readonly professionals: readonly Professional[];
  /** Appoints procesregisseurs and brandpuntfunctionarissen for the team's families. */
  readonly teamLead: Professional;
}

export interface Cast {
  readonly teams: readonly TeamSpec[];
  readonly partners: readonly Professional[];
  readonly procesregisseurs: readonly Professional[];
  readonly brandpunt: readonly Professional[];
}

const personName = (i: number) =>
  `${GIVEN_NAMES[(i * 7) % GIVEN_NAMES.length]} ${FAMILY_NAMES[(i * 11) % FAMILY_NAMES.length]}`;

/**
 * The same people on every run, whatever the seed: a B5 step that adds families finds the
 * teams and professionals of the steps before it, and a dev token for `sub` reads them.
 */
export function almereCast(): Cast {
  let n = 0;
  const teams = ALMERE_WIJKEN.map((spec): TeamSpec => {
    const teamSlug = slug(spec.wijk);
    const organisation = `SLT ${spec.wijk}`;
    const size = Math.max(4, Math.round(spec.weight * 10));
    const professionals = Array.from({ length: size }, (_, i) => ({
      sub: `bench-slt-${teamSlug}-${i + 1}`,
      name: personName((n += 1)),
      organisation,
      discipline: 'SLT',
    }));
    return {
      ...spec,
      teamId: benchId(`team:${spec.wijk}`),
      name: `SLT ${spec.wijk}`,
      professionals,
      teamLead: {
        sub: `bench-teamlead-${teamSlug}`,
        name: personName((n += 1)),
        organisation,
        discipline: 'teamleider SLT',
      },
    };
  });
  const partners = PARTNERS.flatMap((p) =>
    Array.from({ length: p.people }, (_, i) => ({
      sub: `bench-${slug(p.organisation)}-${i + 1}`,
      name: personName((n += 1)),
      organisation: p.organisation,
      discipline: p.discipline,
      lifeDomains: p.lifeDomains,
    })),
  );
  const pool = (prefix: string, organisation: string, discipline: string, size: number) =>
    Array.from({ length: size }, (_, i) => ({
      sub: `bench-${prefix}-${i + 1}`,
      name: personName((n += 1)),
      organisation,
      discipline,
    }));
  return {
    teams,
    partners,
    procesregisseurs: pool('procesregie', PROCESREGIE_ORGANISATION, 'procesregisseur', 12),
    brandpunt: pool('brandpunt', BRANDPUNT_ORGANISATION, 'brandpuntfunctionaris', 4),
  };
}
