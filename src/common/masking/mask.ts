import { normalizeIdNumber } from '../validation/id-number';
import { MOBILE_PATTERN, normalizeMobile } from '../validation/mobile';

/**
 * Display masks for personal data (every response masks by default; see DESIGN §4).
 *
 * Formats (all tested in mask.spec.ts):
 * - ID number, 18 chars:  `110101199003074514` → `110***********4514` (first 3, 11 stars, last 4; X kept uppercase)
 * - ID number, 15 digits (legacy): `110101900307451` → `110*********451` (first 3, 9 stars, last 3)
 * - mobile: `13812342210` (also `+86 138-1234-2210`) → `138****2210` (first 3, 4 stars, last 4)
 * - bank account of 10–30 digits (spaces/dashes ignored): last 4 kept, every other digit a star, same length:
 *   `6222021234567890123` → `***************0123`
 * - name: 1 char → `*`; 2 chars → first + `*` (`张明` → `张*`); 3+ → first + stars + last
 *   (`张小明` → `张*明`, `欧阳小明` → `欧**明`). Counted in code points.
 *
 * null/undefined → null; an empty (or blank) string → ''. A value in an unexpected format is never returned
 * as is: it becomes one star per character of its normalised form (`maskAll`).
 */

const STAR = '*';
const ID_NUMBER_18 = /^\d{17}[\dX]$/;
const ID_NUMBER_15 = /^\d{15}$/;
const BANK_ACCOUNT = /^\d{10,30}$/;

/** One star per code point: nothing of the value but its length survives. */
export function maskAll(value: string): string {
  return STAR.repeat(Array.from(value).length);
}

export function maskIdNumber(value: string | null | undefined): string | null {
  if (value == null) return null;
  const id = normalizeIdNumber(value);
  if (ID_NUMBER_18.test(id)) return id.slice(0, 3) + STAR.repeat(11) + id.slice(14);
  if (ID_NUMBER_15.test(id)) return id.slice(0, 3) + STAR.repeat(9) + id.slice(12);
  return maskAll(id);
}

export function maskPhone(value: string | null | undefined): string | null {
  if (value == null) return null;
  const phone = normalizeMobile(value);
  if (MOBILE_PATTERN.test(phone)) return phone.slice(0, 3) + STAR.repeat(4) + phone.slice(7);
  return maskAll(phone);
}

export function maskBankAccount(value: string | null | undefined): string | null {
  if (value == null) return null;
  const account = value.normalize('NFKC').replace(/[\s-]+/g, '');
  if (BANK_ACCOUNT.test(account)) return STAR.repeat(account.length - 4) + account.slice(-4);
  return maskAll(account);
}

export function maskName(value: string | null | undefined): string | null {
  if (value == null) return null;
  const chars = Array.from(value.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return STAR;
  if (chars.length === 2) return chars[0] + STAR;
  return chars[0] + STAR.repeat(chars.length - 2) + chars[chars.length - 1];
}

/**
 * A full, unmasked 18-character ID number inside arbitrary text (JSON, HTML, CSV): a province-like first
 * digit, a birth date 19xx/20xx with month 01–12 and day 01–31, 3 digits and a check character
 * (lowercase x too) — not part of a longer digit run. The date structure keeps 18-digit technical ids
 * from matching. The checksum is deliberately not required: a leak is a leak.
 * Not global (no lastIndex state); use `new RegExp(pattern, 'g')` or findUnmaskedPersonalData to find all.
 */
export const UNMASKED_ID_NUMBER_PATTERN =
  /(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)/;

/**
 * A full, unmasked mainland mobile number inside arbitrary text, not part of a longer digit run; an
 * optional +86 / 0086 / 86 prefix and single spaces or dashes between the 3-4-4 groups are allowed
 * (`13812342210`, `+86 138-1234-2210`). Not global, as above.
 */
export const UNMASKED_PHONE_PATTERN = /(?<!\d)(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/;

/**
 * A run of 16–19 digits (optionally in groups split by single spaces or dashes, `6222 0212 3456 7890 123`)
 * not part of a longer digit run: the shape of a bank card number. On its own too loose (order numbers,
 * counters), so findUnmaskedPersonalData also requires the Luhn check every card number passes.
 * Not global, as above.
 */
export const BANK_ACCOUNT_CANDIDATE_PATTERN = /(?<!\d)\d(?:[ -]?\d){15,18}(?!\d)/;

/** The Luhn (mod 10) check of a digit string: what every bank card number passes. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export type UnmaskedPersonalDataKind = 'id_number' | 'phone' | 'bank_account';

export interface UnmaskedPersonalDataHit {
  kind: UnmaskedPersonalDataKind;
  /** Offset in the scanned text. The matched value is deliberately not returned (keep it out of test logs). */
  index: number;
}

/**
 * System identifiers that hold no personal data but can contain digit runs shaped like one: UUIDs
 * (`…-a138-1234-5678-…` reads as a dashed mobile number), long hex digests (audit hashes) and archive
 * numbers (region-year-sequence, `330106-2026-123455`: 16 digits once the sequence has six, and one in ten
 * of those passes the Luhn check), and decimal numbers (a score of `0.4111111111111111` has 16 fraction
 * digits, one in ten of which pass the Luhn check). They are blanked, offsets kept, before scanning.
 */
const SYSTEM_IDENTIFIER_PATTERN =
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}|(?<![\d-])\d{6}-(?:19|20)\d{2}-\d{5,7}(?![\d-])|\d+\.\d+/gi;

/**
 * Every unmasked ID number, mobile number and bank card number (16–19 digits passing the Luhn check) in
 * `text`: audit-log guards and the response-body scans. A digit run that is an ID number is reported once,
 * as an ID number, even when it also passes the Luhn check.
 */
export function findUnmaskedPersonalData(text: string): UnmaskedPersonalDataHit[] {
  const scanned = text.replace(SYSTEM_IDENTIFIER_PATTERN, (id) => '_'.repeat(id.length));
  const all = (pattern: RegExp) => Array.from(scanned.matchAll(new RegExp(pattern.source, 'g')));
  const idNumbers = all(UNMASKED_ID_NUMBER_PATTERN);
  const hits: UnmaskedPersonalDataHit[] = [
    ...idNumbers.map((match) => ({ kind: 'id_number' as const, index: match.index })),
    ...all(UNMASKED_PHONE_PATTERN).map((match) => ({ kind: 'phone' as const, index: match.index })),
  ];
  for (const match of all(BANK_ACCOUNT_CANDIDATE_PATTERN)) {
    const end = match.index + match[0].length;
    const isIdNumber = idNumbers.some((id) => id.index < end && match.index < id.index + id[0].length);
    if (!isIdNumber && passesLuhn(match[0].replace(/[ -]/g, '')))
      hits.push({ kind: 'bank_account', index: match.index });
  }
  return hits.sort((a, b) => a.index - b.index);
}
