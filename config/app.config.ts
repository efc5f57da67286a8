import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateBy,
} from 'class-validator';
import type { DatabaseTimeouts } from '#libs/database/bounded-connection.js';
import { sealSinkUrlProblem } from '#libs/tamper-evidence/seal-sink.js';
import { signingKeyProblem } from '#libs/tamper-evidence/seal-signer.js';

const toInt = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : ['1', 'true', 'yes'].includes(String(value).toLowerCase());

/** A file:///absolute/dir or http(s):// URL (libs/tamper-evidence/seal-sink.ts). */
const IsSealSinkUrl = () =>
  ValidateBy({
    name: 'isSealSinkUrl',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !sealSinkUrlProblem(value),
      defaultMessage: (args) =>
        sealSinkUrlProblem(String(args?.value)) ?? 'must be a file:/// or http(s):// URL',
    },
  });

/**
 * Optional settings are initialised to undefined on purpose: loadConfig reads the list of known
 * variables from an instance's own keys.
 *
 * Every setting comes from an environment variable of the same name in UPPER_SNAKE_CASE.
 * The README's configuration table lists them.
 */
export class AppConfig {
  @IsIn(['development', 'production'])
  APP_MODE: 'development' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Unset: an embedded PostgreSQL under DATA_DIR (development only). */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string = undefined;

  @IsString()
  DATA_DIR = './.data';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(200)
  DB_POOL_SIZE = 10;

  /**
   * The server cancels a statement that runs longer than this; the client gives up on one that
   * gets no answer 2 s after it (a stalled connection), and the request is answered with 503.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_STATEMENT_TIMEOUT_MS = 10_000;

  /** The server cancels a statement that waits longer than this for a lock (a busy stream). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_LOCK_TIMEOUT_MS = 5_000;

  @IsIn(['postgres', 'eventstoredb'])
  EVENT_STORE: 'postgres' | 'eventstoredb' = 'postgres';

  @IsOptional()
  @IsString()
  EVENTSTOREDB_URL?: string = undefined;

  @IsOptional()
  @IsUrl({ require_tld: false })
  OIDC_ISSUER?: string = undefined;

  @IsOptional()
  @IsString()
  OIDC_AUDIENCE?: string = undefined;

  @IsOptional()
  @IsUrl({ require_tld: false })
  OIDC_JWKS_URL?: string = undefined;

  /** Base64 of 32 bytes; wraps every member's data key. Generated under DATA_DIR in development. */
  @IsOptional()
  @IsString()
  MASTER_KEY?: string = undefined;

  @IsString()
  MUNICIPALITY = 'almere';

  /**
   * The organisation's OIN (Organisatie-identificatienummer, 20 digits): the `source` of every
   * exported CloudEvent names it (NL GOV profile, zgw.md). Required in production; development
   * falls back to a placeholder that is nobody's OIN (DEVELOPMENT_OIN).
   */
  @IsOptional()
  @Matches(/^\d{20}$/, { message: 'must be an OIN of 20 digits' })
  ORGANISATION_OIN?: string = undefined;

  /**
   * A JSON file of per-municipality settings (escalation deadlines, working-day calendar)
   * merged over the built-in defaults (config/municipalities.ts).
   */
  @IsOptional()
  @IsString()
  MUNICIPALITY_CONFIG?: string = undefined;

  @IsString()
  BODY_LIMIT = '100kb';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** What a projection does with an event its handler throws on: stop, or park it and go on. */
  @IsIn(['stop', 'park'])
  PROJECTION_ON_ERROR: 'stop' | 'park' = 'stop';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  PROJECTION_BATCH_SIZE = 500;

  /** Events per page of a rebuild: read once for every projection rebuilt (see README). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PROJECTION_REBUILD_PAGE = 2_000;

  @Transform(toBool)
  @IsBoolean()
  PROJECTIONS_ENABLED = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SNAPSHOT_EVERY = 100;

  /**
   * Development only: the dev clock starts at this moment (never before real time), as if the
   * server had been down until then. Time only moves forward from there.
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  DEV_CLOCK_START?: string = undefined;

  /**
   * How often this process looks at the zaaksysteem outbox when it has nothing to send; 0: it
   * sends nothing (another instance does). Used only when the zaaksysteem is configured.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  ZGW_POLL_MS = 1000;

  /** The longest back-off between two attempts of a call the zaaksysteem did not take. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  ZGW_RETRY_MAX_MS = 300_000;

  /** How often this process looks for due timers (birthdays, deadlines); 0: never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  TIMER_INTERVAL_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30000)
  CONSISTENCY_TIMEOUT_MS = 5000;

  /** Development only: load Paulien's family and Asha into an empty event store at start. */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  /** "A limited number of concrete goals" (domain.md invariant 6). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAX_ACTIVE_GOALS = 7;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  EVALUATION_INTERVAL_MONTHS = 3;

  /**
   * Retention (Jeugdwet): the personal data of a closed case is destroyed this many years
   * after its plan was closed, by the clock, unless a new plan reopened the case before then.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  RETENTION_YEARS = 20;

  /** How long an emergency access (break the glass) lets its professional read (api.md). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  EMERGENCY_ACCESS_HOURS = 4;

  /**
   * Months after it closed that a concern which never reached a family is destroyed
   * (crypto-shredding, concerns.md "Privacy").
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(120)
  CONCERN_RETENTION_MONTHS = 12;

  /**
   * Tamper evidence (issue 17): the Ed25519 private key that signs the seals of the event log,
   * PKCS#8 PEM or base64 of its DER (libs/tamper-evidence/seal-signer.ts). The database never
   * holds it. Required in production (from a secret store); development generates one under
   * DATA_DIR.
   */
  @IsOptional()
  @IsString()
  AUDIT_SIGNING_KEY?: string = undefined;

  /**
   * Where a copy of every seal is kept outside the database: `file:///absolute/dir` (appended to
   * `seals.jsonl` there) or an http(s) webhook the seals are POSTed to. Required in production;
   * development keeps them in DATA_DIR/seals.
   */
  @IsOptional()
  @IsSealSinkUrl()
  AUDIT_SEAL_SINK?: string = undefined;

  /** A seal is made after this many events since the last one (and on request). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEAL_EVERY_EVENTS = 10_000;

  /**
   * A seal is made this often when there are events since the last one. At most a week: a longer
   * interval leaves events unsealed that long (and Node's timers cannot wait past 24.8 days).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_080)
  SEAL_INTERVAL_MINUTES = 60;

  /**
   * The municipality's zaaksysteem (zgw.md): the base URLs of its Zaken and Besluiten APIs (as
   * Open Zaak serves them, ending in /api/v1), the client's id and secret for the ZGW JWT and
   * the municipality's RSIN. All or none: without them the zaaksysteem registration is off.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ZGW_ZAKEN_API_URL?: string = undefined;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ZGW_BESLUITEN_API_URL?: string = undefined;

  @IsOptional()
  @IsString()
  ZGW_CLIENT_ID?: string = undefined;

  @IsOptional()
  @IsString()
  ZGW_SECRET?: string = undefined;

  /** Bronorganisatie and verantwoordelijke organisatie of every zaak and besluit. */
  @IsOptional()
  @IsString()
  ZGW_RSIN?: string = undefined;

  /** The zaaksysteem connection, or null when it is not configured (the feature is off). */
  get zgw(): ZgwConnection | null {
    if (!ZGW_SETTINGS.every((key) => this[key])) return null;
    return {
      zakenApiUrl: this.ZGW_ZAKEN_API_URL!,
      besluitenApiUrl: this.ZGW_BESLUITEN_API_URL!,
      clientId: this.ZGW_CLIENT_ID!,
      secret: this.ZGW_SECRET!,
      rsin: this.ZGW_RSIN!,
    };
  }

  /** The configured OIN; the development placeholder when none is (refused in production). */
  get organisationOin(): string {
    return this.ORGANISATION_OIN ?? DEVELOPMENT_OIN;
  }

  get databaseTimeouts(): DatabaseTimeouts {
    return {
      statementTimeoutMs: this.DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: this.DB_LOCK_TIMEOUT_MS,
    };
  }

  get isDevelopment(): boolean {
    return this.APP_MODE === 'development';
  }
}

/**
 * Development only: the shape of an OIN derived from an RSIN (prefix 00000001, nine digits,
 * 000) but no real organisation's, so exported events of a development server are never
 * mistaken for a municipality's.
 */
export const DEVELOPMENT_OIN = '00000001234567890000';

/** The system part of the CloudEvents `source` (urn:nld:oin:<OIN>:systeem:<name>). */
export const SYSTEM_NAME = 'een-gezin-een-plan';

/** The settings of the zaaksysteem connection: all set, or none (zgw.md). */
const ZGW_SETTINGS = [
  'ZGW_ZAKEN_API_URL',
  'ZGW_BESLUITEN_API_URL',
  'ZGW_CLIENT_ID',
  'ZGW_SECRET',
  'ZGW_RSIN',
] as const;

export interface ZgwConnection {
  readonly zakenApiUrl: string;
  readonly besluitenApiUrl: string;
  readonly clientId: string;
  readonly secret: string;
  readonly rsin: string;
}

/**
 * An RSIN is nine digits passing the same 11-proof as a BSN: the Zaken API rejects any other
 * bronorganisatie, so a typo is refused at start-up rather than on the first zaak.
 */
export function isValidRsin(value: string): boolean {
  if (!/^\d{9}$/.test(value) || value === '000000000') return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 8).reduce((acc, d, i) => acc + d * (9 - i), 0) - digits[8];
  return sum % 11 === 0;
}

/** Half a connection is a mistake, not a choice: it names what is missing. */
function zgwProblems(config: AppConfig): string[] {
  const missing = ZGW_SETTINGS.filter((key) => !config[key]);
  if (missing.length === ZGW_SETTINGS.length) return [];
  const problems = missing.map(
    (key) => `${key}: required when any ZGW_ setting is given (the zaaksysteem needs all five)`,
  );
  for (const key of ['ZGW_ZAKEN_API_URL', 'ZGW_BESLUITEN_API_URL'] as const) {
    const url = config[key];
    if (url && !/\/api\/v1$/.test(url)) {
      problems.push(`${key}: must be the API's base URL, ending in /api/v1`);
    }
  }
  if (config.ZGW_RSIN && !isValidRsin(config.ZGW_RSIN)) {
    problems.push('ZGW_RSIN: must be an RSIN of nine digits passing the 11-proof');
  }
  return problems;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment; a production configuration that is incomplete refuses to start. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.fromEntries(
    Object.keys(new AppConfig())
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const config = plainToInstance(AppConfig, known);
  const problems = validateSync(config).map(
    (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`,
  );
  if (config.EVENT_STORE === 'eventstoredb' && !config.EVENTSTOREDB_URL) {
    problems.push('EVENTSTOREDB_URL: required when EVENT_STORE=eventstoredb');
  }
  if (config.APP_MODE === 'production') {
    const required = [
      'DATABASE_URL',
      'OIDC_ISSUER',
      'OIDC_AUDIENCE',
      'MASTER_KEY',
      'ORGANISATION_OIN',
    ] as const;
    for (const key of required) {
      if (!config[key]) problems.push(`${key}: required in production`);
    }
    if (!config.AUDIT_SIGNING_KEY) {
      problems.push(
        'AUDIT_SIGNING_KEY: required in production: the Ed25519 key that signs the seals of the ' +
          'event log (PKCS#8 PEM or base64 of its DER), kept in a secret store, not the database',
      );
    }
    if (!config.AUDIT_SEAL_SINK) {
      problems.push(
        'AUDIT_SEAL_SINK: required in production: where a copy of every seal is kept outside ' +
          'the database (file:///absolute/dir or an https:// webhook)',
      );
    }
    if (config.ORGANISATION_OIN === DEVELOPMENT_OIN) {
      problems.push("ORGANISATION_OIN: the development placeholder is no organisation's OIN");
    }
    if (config.DEV_CLOCK_START) problems.push('DEV_CLOCK_START: development only');
  }
  problems.push(...zgwProblems(config));
  if (config.MASTER_KEY && Buffer.from(config.MASTER_KEY, 'base64').length !== 32) {
    problems.push('MASTER_KEY: must be base64 of exactly 32 bytes');
  }
  const keyProblem = config.AUDIT_SIGNING_KEY && signingKeyProblem(config.AUDIT_SIGNING_KEY);
  if (keyProblem) problems.push(`AUDIT_SIGNING_KEY: ${keyProblem}`);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
