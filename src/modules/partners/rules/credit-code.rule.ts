/**
 * 统一社会信用代码 (unified social credit code) as defined by GB 32100-2015: 18 characters from the
 * 31-character set `0-9 A-H J-N P-R T-U W-Y` (no I, O, S, V, Z, which read like digits):
 *   1     registration authority (登记管理部门代码)
 *   2     organisation type (机构类别代码)
 *   3–8   registration authority's administrative division (GB/T 2260, six digits)
 *   9–17  subject identifier (主体标识码, the former organisation code)
 *   18    check character
 * Check character: with each character's value c_i (its index in the set) and the weights
 * W_i = 3^(i−1) mod 31 (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
 * C18 = 31 − (Σ c_i·W_i mod 31), and 31 is written as `0`. As 31 is prime and no weight is 0 mod 31,
 * every single-character change alters the check.
 *
 * Decisions:
 * - Input is normalised first (`normalizeCreditCode`): NFKC (full-width characters become ASCII),
 *   whitespace removed, upper-cased. A code typed in lower case on a phone is the same code; the stored
 *   and compared form is the upper-case one, so `91350100m000100y43` and `91350100M000100Y43` are one
 *   registration (the unique index sees the normalised form).
 * - Positions 3–8 must be digits (an administrative division code); the code tables of positions 1–2
 *   and the GB 11714 check inside 9–17 are not checked (they changed over time; the standard's own check
 *   character is what a typing mistake breaks).
 * - Checks run in the order format → charset → region → checksum; the first failure is reported.
 */

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeInvalidReason = 'format' | 'charset' | 'region' | 'checksum';

export type CreditCodeParseResult =
  { ok: true; creditCode: string } | { ok: false; reason: CreditCodeInvalidReason };

/** NFKC, whitespace removed, upper case: the form to validate, store and compare. */
export function normalizeCreditCode(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** The check character of the first 17 characters (which must be from the charset). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

export function parseCreditCode(value: string): CreditCodeParseResult {
  const code = normalizeCreditCode(value);
  if (!/^[0-9A-Z]{18}$/.test(code)) return { ok: false, reason: 'format' };
  if ([...code].some((c) => !CREDIT_CODE_CHARSET.includes(c))) return { ok: false, reason: 'charset' };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, reason: 'region' };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, creditCode: code };
}
