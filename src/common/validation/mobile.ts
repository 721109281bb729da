/**
 * Mainland China mobile numbers (11 digits, `1[3-9]` then 9 digits).
 *
 * Input is normalised before it is checked: NFKC (full-width digits and dashes from Chinese input methods
 * become ASCII), spaces and dashes removed, and a `+86` / `0086` / `86` country prefix dropped when what
 * follows it is 11 digits. Store and index the normalised form (`normalizeMobile`), never the raw input.
 */

/** The canonical stored form: exactly 11 digits, no prefix, no separators. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

const SEPARATORS = /[\s-]+/g;
const COUNTRY_PREFIX = /^(?:\+86|0086|86)(\d{11})$/;

/**
 * Canonical form of a phone number as entered: `'+86 138-1234-2210'` → `'13812342210'`.
 * Does not validate: a value that is not a mobile number comes back with only separators removed.
 */
export function normalizeMobile(value: string): string {
  const compact = value.normalize('NFKC').replace(SEPARATORS, '');
  const prefixed = COUNTRY_PREFIX.exec(compact);
  return prefixed ? prefixed[1] : compact;
}

/** The normalised mobile number, or null when the value is not a mainland mobile number. */
export function parseMobile(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const normalized = normalizeMobile(value);
  return MOBILE_PATTERN.test(normalized) ? normalized : null;
}

export function isMobile(value: unknown): boolean {
  return parseMobile(value) !== null;
}
