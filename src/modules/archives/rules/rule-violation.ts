/** Which rule produced a violation; the service groups 422 details by it. */
export type ArchiveRuleName =
  'five-clears' | 'household-figures' | 'identity' | 'household-duplicate' | 'consent' | 'assets';

/**
 * One failed check. `field` is a path into the archive as the client sent it (`head.idNumber`,
 * `members.1.idNumber`, `incomeItems.0.monthlyAmountFen`, `category`); `message` is shown to the user
 * (Chinese) and never contains personal data; `code` is stable for clients.
 */
export interface RuleViolation {
  rule: ArchiveRuleName;
  code: string;
  field: string;
  message: string;
}

/** Whole years between `birthDate` (YYYY-MM-DD) and `onDate` (YYYY-MM-DD), as a birthday count. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = onDate.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}

const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date in China (UTC+8, no DST) at `now`: the date every age and 低保 lookup uses. */
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}
