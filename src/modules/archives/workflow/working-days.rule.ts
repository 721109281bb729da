/**
 * Working days for the public notice (公示): Monday to Friday, minus statutory holidays, plus the weekend
 * days the annual holiday notice makes working days (调休). Dates are `YYYY-MM-DD` calendar dates in China.
 */

export interface WorkingCalendar {
  /** Weekdays that are days off. */
  holidays: ReadonlySet<string>;
  /** Saturdays and Sundays that are working days. */
  makeUpWorkdays: ReadonlySet<string>;
}

export function workingCalendar(
  holidays: readonly string[] = [],
  makeUpWorkdays: readonly string[] = [],
): WorkingCalendar {
  return { holidays: new Set(holidays), makeUpWorkdays: new Set(makeUpWorkdays) };
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  if (calendar.makeUpWorkdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

export function addCalendarDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, calendar: WorkingCalendar): string {
  let day = addCalendarDays(date, 1);
  while (!isWorkingDay(day, calendar)) day = addCalendarDays(day, 1);
  return day;
}

export interface NoticePeriod {
  /** First day of the notice: the next working day after the approval. */
  startsOn: string;
  /** Last day of the notice (inclusive): the `workingDays`-th working day counting the first. */
  endsOn: string;
}

/**
 * The notice an approval on `approvedOn` opens: it starts on the next working day (the approval day is
 * never counted, so a notice posted late in the day still runs its full length) and lasts `workingDays`
 * working days, that first day included.
 */
export function noticePeriod(
  approvedOn: string,
  workingDays: number,
  calendar: WorkingCalendar,
): NoticePeriod {
  if (!Number.isInteger(workingDays) || workingDays < 1) throw new Error('公示期须至少为1个工作日');
  const startsOn = nextWorkingDay(approvedOn, calendar);
  let endsOn = startsOn;
  for (let counted = 1; counted < workingDays; counted += 1) endsOn = nextWorkingDay(endsOn, calendar);
  return { startsOn, endsOn };
}

/** Adds calendar months, clamping to the month's last day (2026-08-31 + 6 months → 2027-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const totalMonths = y * 12 + (m - 1) + months;
  const year = Math.floor(totalMonths / 12);
  const month = (totalMonths % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
