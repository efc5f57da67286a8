import { replaceAt } from '#libs/personal-data/sealed-fields.js';
import { ERASURE_SEALED_FIELDS } from '../erasure/erasure.events.js';
import { ESCALATION_SEALED_FIELDS, sealedFieldsOf } from '../escalations/escalation.events.js';
import { FAMILY_SEALED_FIELDS } from '../families/family.events.js';
import { PLAN_SEALED_FIELDS } from '../plans/plan.events.js';

export const SEALED_MARK = '[sealed]';

/** The sealed fields of every event type in a family's streams, as their capabilities declare them. */
const DECLARED: Readonly<Record<string, Readonly<Record<string, true>>>> = {
  ...FAMILY_SEALED_FIELDS,
  ...PLAN_SEALED_FIELDS,
  ...ESCALATION_SEALED_FIELDS,
  ...ERASURE_SEALED_FIELDS,
};

/**
 * Sealed personal data stays out of an auditor's history: each field its event type declares
 * sealed is replaced by `[sealed]`, never opened. What is hidden follows from the declarations
 * (checked against the event types at compile time), not from how a value looks; an event type
 * that declares nothing (a new capability's, say) shows no data at all (`{}`) rather than too much.
 */
export function pseudonymise(type: string, data: unknown): unknown {
  if (!Object.hasOwn(DECLARED, type)) return {};
  // An automatic escalation step's reason is the system's own text, sealed only by hand.
  const paths = type.startsWith('escalation.')
    ? sealedFieldsOf(type, (data ?? {}) as object)
    : Object.keys(DECLARED[type]);
  return replaceAt(data, paths, SEALED_MARK);
}
