/**
 * Citizen identity numbers (公民身份号码) as defined by GB 11643-1999: 18 characters —
 * 6-digit address code (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male,
 * even = female), and an ISO 7064 MOD 11-2 check character (0-9 or X).
 *
 * Scope and decisions:
 * - Input is normalised first (`normalizeIdNumber`): NFKC (full-width digits / Ｘ become ASCII), all
 *   whitespace removed, `x` uppercased. Store and index the normalised form.
 * - Only 18-character numbers are accepted; legacy 15-digit numbers (pre-1999) are reported as `format`.
 * - The address code is checked only for a plausible province prefix (no full GB/T 2260 table). Besides the
 *   list in PROVINCE_CODES, 83 is accepted because the residence permits of Hong Kong, Macao and Taiwan
 *   residents (港澳台居民居住证: 810000 / 820000 / 830000) use GB 11643 numbers. The 2023 foreigners'
 *   permanent residence ID (starting with 9) is not accepted.
 * - Birth date must be a real calendar date, not before 1900-01-01 and not after today in China (UTC+8,
 *   no daylight saving).
 * - The sequence is not range-checked (000 is not excluded by the standard's text we rely on); it yields
 *   the gender only.
 * - Checks run in the order format → region → birth_date → checksum; the first failure is reported.
 */

export type Gender = 'male' | 'female';

export type IdNumberInvalidReason = 'format' | 'region' | 'birth_date' | 'checksum';

export type IdNumberParseResult =
  | {
      ok: true;
      /** The normalised number (uppercase X), the form to store. */
      idNumber: string;
      regionCode: string;
      /** `YYYY-MM-DD` */
      birthDate: string;
      gender: Gender;
    }
  | { ok: false; reason: IdNumberInvalidReason };

export interface ParseIdNumberOptions {
  /** The moment "today" is taken from for the future-birth-date check; defaults to now. */
  now?: Date;
}

/** First two digits of GB/T 2260 address codes (provinces, autonomous regions, municipalities, HK/Macao/Taiwan). */
// prettier-ignore
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', // 北京 天津 河北 山西 内蒙古
  '21', '22', '23', // 辽宁 吉林 黑龙江
  '31', '32', '33', '34', '35', '36', '37', // 上海 江苏 浙江 安徽 福建 江西 山东
  '41', '42', '43', '44', '45', '46', // 河南 湖北 湖南 广东 广西 海南
  '50', '51', '52', '53', '54', // 重庆 四川 贵州 云南 西藏
  '61', '62', '63', '64', '65', // 陕西 甘肃 青海 宁夏 新疆
  '71', '81', '82', '83', // 台湾 香港 澳门; 83 = 台湾居民居住证
]);

const ID_NUMBER_SHAPE = /^\d{17}[\dX]$/;
const FIRST_17 = /^\d{17}$/;
/** W_i = 2^(17-i) mod 11 for positions 1..17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by (Σ a_i·W_i) mod 11. */
const CHECK_CHARS = '10X98765432';
const MIN_BIRTH_DATE = '1900-01-01';
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `' 11010519491231002x '` → `'11010519491231002X'`. Does not validate. */
export function normalizeIdNumber(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** The ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function idNumberCheckDigit(first17: string): string {
  if (!FIRST_17.test(first17)) throw new Error('idNumberCheckDigit: expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function parseIdNumber(value: unknown, options: ParseIdNumberOptions = {}): IdNumberParseResult {
  if (typeof value !== 'string') return { ok: false, reason: 'format' };
  const idNumber = normalizeIdNumber(value);
  if (!ID_NUMBER_SHAPE.test(idNumber)) return { ok: false, reason: 'format' };

  if (!PROVINCE_CODES.has(idNumber.slice(0, 2))) return { ok: false, reason: 'region' };

  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isPlausibleBirthDate(birthDate, options.now ?? new Date())) return { ok: false, reason: 'birth_date' };

  if (idNumberCheckDigit(idNumber.slice(0, 17)) !== idNumber[17]) return { ok: false, reason: 'checksum' };

  return {
    ok: true,
    idNumber,
    regionCode: idNumber.slice(0, 6),
    birthDate,
    gender: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female',
  };
}

export function isIdNumber(value: unknown, options?: ParseIdNumberOptions): boolean {
  return parseIdNumber(value, options).ok;
}

export interface MakeIdNumberInput {
  /** 6 digits; default `110101` (北京市东城区). */
  regionCode?: string;
  /** `YYYY-MM-DD`; default `1990-03-07`. Not calendar-checked, so invalid dates can be built on purpose. */
  birthDate?: string;
  /** 0–999. Default 1 for male (or unspecified), 2 for female. Its parity must agree with `gender`. */
  sequence?: number;
  gender?: Gender;
}

/**
 * Test data only: a synthetic number with a correct check character, for seeds, factories and specs.
 * Vary `sequence` (and `birthDate`) to get distinct numbers.
 */
export function makeIdNumber(input: MakeIdNumberInput = {}): string {
  const regionCode = input.regionCode ?? '110101';
  const birthDate = input.birthDate ?? '1990-03-07';
  if (!/^\d{6}$/.test(regionCode)) throw new Error('makeIdNumber: regionCode must be 6 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new Error('makeIdNumber: birthDate must be YYYY-MM-DD');

  const sequence = input.sequence ?? (input.gender === 'female' ? 2 : 1);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new Error('makeIdNumber: sequence must be an integer 0–999');
  }
  if (input.gender && (sequence % 2 === 1 ? 'male' : 'female') !== input.gender) {
    throw new Error(`makeIdNumber: sequence ${sequence} does not encode gender ${input.gender} (odd = male)`);
  }

  const first17 = `${regionCode}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckDigit(first17);
}

function isPlausibleBirthDate(isoDate: string, now: Date): boolean {
  const [year, month, day] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const isRealDate =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!isRealDate) return false;
  const todayInChina = new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
  return isoDate >= MIN_BIRTH_DATE && isoDate <= todayInChina;
}
