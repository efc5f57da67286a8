import { birthdayOfAge } from '#libs/clock/calendar.js';
import { AGE_BANDS, ageBandOf, type AgeBand } from './team-dashboard.js';

/** Ages at which someone enters a new band of the dashboard (4, 12, 18, 23, 65). */
const BOUNDARIES = AGE_BANDS.slice(1).map((b) => b.from);

/**
 * The band of someone born on `dateOfBirth` (null: erased) on the day `today` (YYYY-MM-DD), and
 * the first later day on which it changes (null: never again, or unknown). Both by `ageOn`,
 * so a 29 February birthday moves the band on 1 March in a year without one.
 */
export function ageBandOn(
  dateOfBirth: string | null,
  today: string,
): { band: AgeBand; changesOn: string | null } {
  const band = ageBandOf(dateOfBirth, new Date(`${today}T00:00:00Z`));
  if (dateOfBirth === null) return { band, changesOn: null };
  const next = BOUNDARIES.map((age) => birthdayOfAge(dateOfBirth, age)).find((d) => d > today);
  return { band, changesOn: next ?? null };
}
