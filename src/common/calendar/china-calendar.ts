/**
 * The official working-day calendar of mainland China (国务院办公厅 annual holiday notices, shipped in
 * config/holidays.yml): validation of its data and how far ahead it reaches. Dates are `YYYY-MM-DD`
 * calendar dates in China (UTC+8, no DST).
 */

export interface CalendarYear {
  year: number;
  source: string;
  holidays: readonly string[];
  makeUpWorkdays: readonly string[];
}

const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date in China at `now`. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + CHINA_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `date` is a real `YYYY-MM-DD` date (2026-02-30 and 2026-13-01 are not). */
export function isRealDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/**
 * Every problem of the calendar data, in Chinese, naming the year and the date: impossible dates, dates
 * outside their year, a make-up working day that is not a Saturday or Sunday (it would change nothing,
 * so it is a typo), a day in both lists, a day listed twice, a year given twice.
 */
export function calendarDataProblems(years: readonly CalendarYear[]): string[] {
  const problems: string[] = [];
  const seenYears = new Set<number>();
  for (const entry of years) {
    const where = `calendar ${entry.year}`;
    if (seenYears.has(entry.year)) problems.push(`${where}: 年份重复`);
    seenYears.add(entry.year);
    const lists = [
      ['holidays', entry.holidays],
      ['makeUpWorkdays', entry.makeUpWorkdays],
    ] as const;
    for (const [name, dates] of lists) {
      const seen = new Set<string>();
      for (const date of dates) {
        if (!isRealDate(date)) problems.push(`${where}.${name}: ${date} 不是有效日期`);
        else if (!date.startsWith(`${entry.year}-`))
          problems.push(`${where}.${name}: ${date} 不在 ${entry.year} 年`);
        else if (name === 'makeUpWorkdays' && weekday(date) !== 0 && weekday(date) !== 6) {
          problems.push(`${where}.makeUpWorkdays: ${date} 不是周六或周日，调休上班日只能是周末`);
        }
        if (seen.has(date)) problems.push(`${where}.${name}: ${date} 重复`);
        seen.add(date);
      }
    }
    const workdays = new Set(entry.makeUpWorkdays);
    for (const date of entry.holidays) {
      if (workdays.has(date)) problems.push(`${where}: ${date} 同时列为放假日和调休上班日`);
    }
  }
  return problems;
}

export interface CalendarCoverage {
  /** `ok`; `warn`: from 1 December, next year's notice is not loaded; `fail`: this year's is not. */
  status: 'ok' | 'warn' | 'fail';
  /** The China date the coverage was judged on. */
  today: string;
  /** Years with official data, ascending. */
  years: number[];
  currentYear: number;
  currentYearCovered: boolean;
  nextYear: number;
  nextYearCovered: boolean;
  /** What to do, in Chinese; empty when `ok`. */
  problems: string[];
}

/**
 * How far the official calendar reaches on `today` (China date): working days of a year without data
 * would be counted as if it had no holidays at all, so 公示 could fall inside 国庆.
 */
export function calendarCoverage(years: readonly number[], today: string): CalendarCoverage {
  const currentYear = Number(today.slice(0, 4));
  const nextYear = currentYear + 1;
  const covered = new Set(years);
  const currentYearCovered = covered.has(currentYear);
  const nextYearCovered = covered.has(nextYear);
  const problems: string[] = [];
  if (!currentYearCovered) {
    problems.push(`缺少 ${currentYear} 年的法定节假日安排（config/holidays.yml），工作日计算不可靠`);
  }
  if (!nextYearCovered && today.slice(5) >= '12-01') {
    problems.push(
      `缺少 ${nextYear} 年的法定节假日安排（config/holidays.yml），请在国务院办公厅通知发布后补录`,
    );
  }
  return {
    status: !currentYearCovered ? 'fail' : problems.length > 0 ? 'warn' : 'ok',
    today,
    years: [...covered].sort((a, b) => a - b),
    currentYear,
    currentYearCovered,
    nextYear,
    nextYearCovered,
    problems,
  };
}

/** Every day off and make-up working day of the official years plus the local extras (config `archives`). */
export function calendarDays(
  years: readonly CalendarYear[],
  extra: { publicHolidays: readonly string[]; makeUpWorkdays: readonly string[] },
): { holidays: string[]; makeUpWorkdays: string[] } {
  return {
    holidays: [...years.flatMap((y) => y.holidays), ...extra.publicHolidays],
    makeUpWorkdays: [...years.flatMap((y) => y.makeUpWorkdays), ...extra.makeUpWorkdays],
  };
}
