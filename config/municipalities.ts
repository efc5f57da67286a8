import { readFileSync } from 'node:fs';
import { DUTCH_HOLIDAYS } from '#libs/working-days/dutch-holidays.js';
import {
  isDateString,
  type WorkingDayCalendarConfig,
} from '#libs/working-days/working-day-calendar.js';
import { ConfigError } from './app.config.js';

/** The escalation ladder of escalation.md ("Levels", "Signals"); days are working days. */
export interface EscalationDeadlines {
  level0: { acknowledgeDays: number; resolveDays: number };
  level0Safety: { acknowledgeDays: number; resolveDays: number };
  level1: { appointDays: number; resolveDays: number };
  level2: { appointDays: number; decideDays: number };
  /** Working days an action may be overdue before the system raises a signal. */
  actionOverdueDays: number;
  /** Calendar weeks, after the Wmo 2015 clock of 6 weeks to assess a request. */
  planNotAgreedWeeks: number;
  /** Calendar weeks. */
  noProgressWeeks: number;
  /** Working days. */
  regieVacantDays: number;
  /** Calendar days within which a closed escalation may be reopened once. */
  reopenWithinDays: number;
}

/** Deadlines of concerns from partner organisations (concerns.md "Deadlines"). */
export interface ConcernDeadlines {
  /** Working days for intake to take a concern up, per urgency. */
  triageDays: { safety: number; urgent: number; normal: number };
  /** This many `not_reached` contact attempts within `outreachWithinDays` working days alert the team lead. */
  outreachAttempts: number;
  outreachWithinDays: number;
  /** Calendar days after closing within which intake may reopen a concern, once. */
  reopenWithinDays: number;
}

export interface MunicipalityConfig {
  /** Shown to people; the lookup key (e.g. MUNICIPALITY=almere) is the identifier. */
  name: string;
  calendar: WorkingDayCalendarConfig;
  escalation: EscalationDeadlines;
  /** Optional in a configuration file: the defaults of concerns.md apply without it. */
  concerns: ConcernDeadlines;
  /** The municipality's Catalogi URLs for its zaaksysteem (zgw.md); absent: no registration. */
  zgw?: ZgwCatalogi;
}

/**
 * The types in the municipality's Catalogi API a family case is registered with (zgw.md). The
 * product refers to them by URL and never creates them.
 */
export interface ZgwCatalogi {
  zaaktype: string;
  statustypen: Record<(typeof ZGW_STATUSTYPEN)[number], string>;
  roltypen: Record<(typeof ZGW_ROLTYPEN)[number], string>;
  /** One per closure reason of a plan (plans/plan.model.ts CLOSURE_REASONS). */
  resultaattypen: Record<(typeof ZGW_RESULTAATTYPEN)[number], string>;
  besluittype: string;
}

export const ZGW_STATUSTYPEN = ['opened', 'agreed', 'escalated', 'closed'] as const;
export const ZGW_ROLTYPEN = [
  'zaakcoordinator',
  'behandelaar',
  'belanghebbende',
  'beslisser',
] as const;
// config may not import the plans capability: zaaksysteem/ checks this list against its reasons.
export const ZGW_RESULTAATTYPEN = [
  'goals_achieved',
  'family_moved',
  'transferred',
  'family_declined_support',
  'other',
] as const;

/** concerns.md's deadlines, for a municipality that sets none of its own. */
export const DEFAULT_CONCERN_DEADLINES: ConcernDeadlines = {
  triageDays: { safety: 1, urgent: 2, normal: 5 },
  outreachAttempts: 3,
  outreachWithinDays: 20,
  reopenWithinDays: 30,
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

// Frozen: one caller tweaking its copy must not change another municipality's deadlines.
export const DEFAULT_MUNICIPALITIES: Record<string, MunicipalityConfig> = deepFreeze({
  almere: {
    name: 'Almere',
    calendar: { holidays: [...DUTCH_HOLIDAYS], extraHolidays: [] },
    escalation: {
      level0: { acknowledgeDays: 2, resolveDays: 10 },
      level0Safety: { acknowledgeDays: 1, resolveDays: 1 },
      level1: { appointDays: 3, resolveDays: 20 },
      level2: { appointDays: 2, decideDays: 10 },
      actionOverdueDays: 10,
      planNotAgreedWeeks: 6,
      noProgressWeeks: 8,
      regieVacantDays: 5,
      reopenWithinDays: 30,
    },
    concerns: DEFAULT_CONCERN_DEADLINES,
  },
});

// Every municipality has the same shape, so Almere's escalation block doubles as the schema.
const ESCALATION_SHAPE = DEFAULT_MUNICIPALITIES.almere.escalation;

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; anything else, arrays included, replaces the default. */
function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlain(base) || !isPlain(override)) return override;
  const keys = new Set([...Object.keys(base), ...Object.keys(override)]);
  return Object.fromEntries([...keys].map((key) => [key, merge(base[key], override[key])]));
}

/** Unknown keys are problems too: a typo must not silently leave the default in force. */
function checkKeys(value: Plain, known: readonly string[], path: string, problems: string[]) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push(`${path}.${key} is not a known setting`);
  }
}

function checkNumbers(value: unknown, shape: object, path: string, problems: string[]) {
  if (!isPlain(value)) {
    problems.push(`${path} ${value === undefined ? 'is missing' : 'must be an object'}`);
    return;
  }
  checkKeys(value, Object.keys(shape), path, problems);
  for (const [key, expected] of Object.entries(shape)) {
    const actual = value[key];
    const at = `${path}.${key}`;
    if (typeof expected === 'object') checkNumbers(actual, expected, at, problems);
    else if (actual === undefined) problems.push(`${at} is missing`);
    else if (!Number.isInteger(actual) || (actual as number) < 1) {
      problems.push(`${at} must be a positive whole number`);
    }
  }
}

function checkCalendar(value: unknown, path: string, problems: string[]) {
  if (!isPlain(value)) {
    problems.push(`${path} ${value === undefined ? 'is missing' : 'must be an object'}`);
    return;
  }
  checkKeys(value, ['holidays', 'extraHolidays'], path, problems);
  const known: readonly unknown[] = DUTCH_HOLIDAYS;
  const lists = [
    ['holidays', (v: unknown) => known.includes(v), `one of ${DUTCH_HOLIDAYS.join(', ')}`],
    ['extraHolidays', isDateString, 'a real YYYY-MM-DD date'],
  ] as const;
  for (const [key, isValid, expectation] of lists) {
    const list = value[key];
    if (!Array.isArray(list)) {
      problems.push(`${path}.${key} ${list === undefined ? 'is missing' : 'must be a list'}`);
      continue;
    }
    list.forEach((item, i) => {
      if (!isValid(item)) {
        problems.push(`${path}.${key}[${i}] ${JSON.stringify(item)} must be ${expectation}`);
      }
    });
  }
}

/** A Catalogi reference: an absolute http(s) URL (the Zaken API refuses anything else). */
function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function checkUrl(value: unknown, path: string, problems: string[]) {
  if (value === undefined) problems.push(`${path} is missing`);
  else if (!isUrl(value)) problems.push(`${path} must be an http(s) URL`);
}

function checkUrls(value: unknown, keys: readonly string[], path: string, problems: string[]) {
  if (!isPlain(value)) {
    problems.push(`${path} ${value === undefined ? 'is missing' : 'must be an object'}`);
    return;
  }
  checkKeys(value, keys, path, problems);
  for (const key of keys) checkUrl(value[key], `${path}.${key}`, problems);
}

/** Optional; when given it must be complete: half a catalogue would register half a case. */
function checkZgw(value: unknown, path: string, problems: string[]) {
  if (value === undefined) return;
  if (!isPlain(value)) {
    problems.push(`${path} must be an object`);
    return;
  }
  const lists = {
    statustypen: ZGW_STATUSTYPEN,
    roltypen: ZGW_ROLTYPEN,
    resultaattypen: ZGW_RESULTAATTYPEN,
  };
  checkKeys(value, ['zaaktype', 'besluittype', ...Object.keys(lists)], path, problems);
  checkUrl(value.zaaktype, `${path}.zaaktype`, problems);
  checkUrl(value.besluittype, `${path}.besluittype`, problems);
  for (const [key, keys] of Object.entries(lists)) {
    checkUrls(value[key], keys, `${path}.${key}`, problems);
  }
}

function validate(key: string, value: unknown): MunicipalityConfig {
  const problems: string[] = [];
  if (!isPlain(value)) {
    problems.push(`${key} must be an object`);
  } else {
    checkKeys(value, ['name', 'calendar', 'escalation', 'concerns', 'zgw'], key, problems);
    if (typeof value.name !== 'string' || value.name.trim() === '') {
      problems.push(`${key}.name must be a non-empty text`);
    }
    checkCalendar(value.calendar, `${key}.calendar`, problems);
    checkNumbers(value.escalation, ESCALATION_SHAPE, `${key}.escalation`, problems);
    value.concerns ??= structuredClone(DEFAULT_CONCERN_DEADLINES);
    checkNumbers(value.concerns, DEFAULT_CONCERN_DEADLINES, `${key}.concerns`, problems);
    checkZgw(value.zgw, `${key}.zgw`, problems);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid municipality configuration:\n  ${problems.join('\n  ')}`);
  }
  return value as unknown as MunicipalityConfig;
}

function readOverrides(path: string): Plain {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `Cannot read municipality configuration ${path}: ${(error as Error).message}`,
    );
  }
  if (!isPlain(parsed)) {
    throw new ConfigError(`${path} must hold a JSON object keyed by municipality`);
  }
  return parsed;
}

/**
 * The configuration of municipality `name` (the key, e.g. 'almere'): its default, with the
 * entry of the same key in the JSON file at `overridePath` (MUNICIPALITY_CONFIG) merged over it.
 * A municipality without a default must be given in full. Throws a ConfigError listing every
 * problem at once, so one deploy fixes them all. The result is a fresh, mutable copy.
 */
export function loadMunicipalityConfig(name: string, overridePath?: string): MunicipalityConfig {
  // hasOwn: "constructor" or "__proto__" must not be found on the prototype.
  const base = Object.hasOwn(DEFAULT_MUNICIPALITIES, name)
    ? DEFAULT_MUNICIPALITIES[name]
    : undefined;
  const overrides = overridePath ? readOverrides(overridePath) : {};
  const override = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
  if (base === undefined && override === undefined) {
    const known = Object.keys(DEFAULT_MUNICIPALITIES).join(', ');
    throw new ConfigError(
      `Unknown municipality "${name}": not among the defaults (${known})` +
        (overridePath ? ` nor in ${overridePath}` : ' and no MUNICIPALITY_CONFIG file given'),
    );
  }
  return validate(name, structuredClone(merge(base, override)));
}
