import type { AppConfig, ZgwConnection } from '../../config/app.config.js';
import type { MunicipalityConfig, ZgwCatalogi } from '../../config/municipalities.js';
import type { ClosureReason } from '../plans/plan.model.js';

/** What the mapping needs to know of the municipality: its RSIN, its Catalogi and the retention. */
export interface ZgwSettings {
  readonly connection: ZgwConnection;
  readonly catalogi: ZgwCatalogi;
  /** The archiefactiedatum is the closure plus these years, as the product's own retention. */
  readonly retentionYears: number;
}

// A closure reason without a resultaattype (or one the other way round) fails the typecheck.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const RESULTAATTYPEN_COVER_CLOSURE_REASONS: SameKeys<
  keyof ZgwCatalogi['resultaattypen'],
  ClosureReason
> = true;
void RESULTAATTYPEN_COVER_CLOSURE_REASONS;

/**
 * The zaaksysteem registration is on only when both halves are configured: the connection
 * (ZGW_* variables) and the municipality's Catalogi (its `zgw` block). Either alone: off.
 */
export function zgwSettings(app: AppConfig, municipality: MunicipalityConfig): ZgwSettings | null {
  const connection = app.zgw;
  if (!connection || !municipality.zgw) return null;
  return { connection, catalogi: municipality.zgw, retentionYears: app.RETENTION_YEARS };
}

/** The settings, provided only when the registration is on. */
export const ZGW_SETTINGS = Symbol('ZGW_SETTINGS');
