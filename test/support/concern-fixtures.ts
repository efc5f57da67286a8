import type { HttpSession, Member } from './http-session.js';
import type { TestApp } from './test-app.js';

export const DAAN_BSN = '111222333';

/** Paulien (a parent) and Daan (a pupil, with a BSN): the household concerns are filed about. */
export const PAULIEN_AND_DAAN: Member[] = [
  { givenName: 'Paulien', familyName: 'Jansen', dateOfBirth: '1990-03-14', role: 'parent' },
  {
    givenName: 'Daan',
    familyName: 'Jansen',
    dateOfBirth: '2012-01-02',
    role: 'child',
    bsn: DAAN_BSN,
  },
];

/**
 * Creates an SLT team with the postcode areas of its wijk (as an admin) and waits until every
 * read model has it: filing a concern looks the area up in the concerns' own read model, which
 * a caller other than the admin does not wait for.
 */
export async function teamWithAreas(
  t: TestApp,
  s: HttpSession,
  wijk: string,
  postcodeAreas: string[],
): Promise<string> {
  const admin = await t.token({ sub: 'admin-1', roles: ['admin'] });
  const { teamId } = await s.send(
    admin,
    'post',
    '/api/v1/teams',
    { name: `SLT ${wijk}`, wijk, stadsdeel: `Almere ${wijk}`, postcodeAreas },
    201,
  );
  await s.settled();
  return teamId as string;
}
