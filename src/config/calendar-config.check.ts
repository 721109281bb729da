import {
  calendarCoverage,
  calendarDataProblems,
  chinaToday,
  isRealDate,
} from '../common/calendar/china-calendar';
import type { AppConfig } from './app-config';

/**
 * Problems of the official holiday calendar (config/holidays.yml) and the local extra days: impossible
 * or misplaced dates always; in production also a missing current year, since working days would then be
 * counted as if the year had no holidays (a 公示 could fall inside 国庆).
 */
export function calendarConfigProblems(config: AppConfig, now: Date): string[] {
  const problems = calendarDataProblems(config.calendar.years);
  for (const [name, dates] of [
    ['archives.publicHolidays', config.archives.publicHolidays],
    ['archives.makeUpWorkdays', config.archives.makeUpWorkdays],
  ] as const) {
    for (const date of dates) if (!isRealDate(date)) problems.push(`${name}: ${date} 不是有效日期`);
  }
  if (config.env === 'production') {
    const coverage = calendarCoverage(
      config.calendar.years.map((y) => y.year),
      chinaToday(now),
    );
    if (!coverage.currentYearCovered) {
      problems.push(
        `calendar: 缺少本年度（${coverage.currentYear} 年）的法定节假日安排，生产环境拒绝启动；请按国务院办公厅通知补录 config/holidays.yml`,
      );
    }
  }
  return problems;
}
