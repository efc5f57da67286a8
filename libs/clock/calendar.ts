/** Calendar arithmetic on YYYY-MM-DD dates, in UTC, for ages and deadlines. */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const month = today.getUTCMonth() + 1;
  let age = today.getUTCFullYear() - y;
  if (month < m || (month === m && today.getUTCDate() < d)) age -= 1;
  return age;
}

export function toDateString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Adds months, clamping to the month's last day (31 January + 1 month = 28/29 February). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return toDateString(first);
}

/**
 * The first date on which someone born on `dateOfBirth` is `years` old by `ageOn`: their
 * birthday, or 1 March for a 29 February birthday in a year without one.
 */
export function birthdayOfAge(dateOfBirth: string, years: number): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  return toDateString(new Date(Date.UTC(y + years, m - 1, d)));
}

/** Every day after `from` up to and including `to` (YYYY-MM-DD), in order. */
export function daysAfter(from: string, to: string): string[] {
  const days: string[] = [];
  const day = new Date(`${from}T00:00:00Z`);
  for (;;) {
    day.setUTCDate(day.getUTCDate() + 1);
    const next = day.toISOString().slice(0, 10);
    if (next > to) return days;
    days.push(next);
  }
}
