/**
 * The `from`/`to` filters of the audit log, as a half-open instant range [from, before).
 * - A date alone (`2026-03-02`) is a whole day in China Standard Time (UTC+8, no daylight saving; where
 *   every user of the platform is): `from` is its first instant, `to` includes the whole day.
 * - A date-time with an offset (`…T10:00:00Z`, `…+08:00`) is that instant; without one it is read as
 *   China Standard Time. `to` includes that instant (to the millisecond).
 * Returns null when the range is empty (from not before to).
 */
export interface InstantRange {
  from: Date | null;
  before: Date | null;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const CHINA_OFFSET = '+08:00';
const DAY_MS = 24 * 60 * 60 * 1000;
const FILTER_TIME_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Accepted shapes of `from`/`to` (the query DTO validates with it). */
export const AUDIT_TIME_FILTER_PATTERN = FILTER_TIME_PATTERN;

export function auditTimeRange(from: string | undefined, to: string | undefined): InstantRange | null {
  const start = from === undefined ? null : instant(from);
  let before: Date | null = null;
  if (to !== undefined) {
    const end = instant(to);
    before = new Date(end.getTime() + (DATE_ONLY.test(to) ? DAY_MS : 1));
  }
  if (start && before && start.getTime() >= before.getTime()) return null;
  return { from: start, before };
}

function instant(value: string): Date {
  if (!FILTER_TIME_PATTERN.test(value)) throw new RangeError(`not an ISO 8601 date or date-time: ${value}`);
  const text = DATE_ONLY.test(value)
    ? `${value}T00:00:00${CHINA_OFFSET}`
    : HAS_OFFSET.test(value)
      ? value
      : `${value}${CHINA_OFFSET}`;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: ${value}`);
  return date;
}
