import {
  calendarCoverage,
  calendarDataProblems,
  calendarDays,
  chinaToday,
  isRealDate,
} from './china-calendar';

describe('isRealDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-4-1', false],
    ['not a date', false],
  ])('%s → %s', (date, expected) => {
    expect(isRealDate(date)).toBe(expected);
  });
});

describe('calendarDataProblems', () => {
  const year = (holidays: string[], makeUpWorkdays: string[] = []) => ({
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    holidays,
    makeUpWorkdays,
  });
  it.each([
    { name: 'a valid year', years: [year(['2026-10-01', '2026-10-03'], ['2026-10-10'])], expected: [] },
    {
      name: 'an impossible date',
      years: [year(['2026-02-30'])],
      expected: ['calendar 2026.holidays: 2026-02-30 不是有效日期'],
    },
    {
      name: 'a date of another year',
      years: [year(['2025-10-01'])],
      expected: ['calendar 2026.holidays: 2025-10-01 不在 2026 年'],
    },
    {
      name: 'a weekday as a make-up working day (Thursday 2026-10-08)',
      years: [year([], ['2026-10-08'])],
      expected: ['calendar 2026.makeUpWorkdays: 2026-10-08 不是周六或周日，调休上班日只能是周末'],
    },
    {
      name: 'a Sunday as a make-up working day is fine (2026-09-20)',
      years: [year([], ['2026-09-20'])],
      expected: [],
    },
    {
      name: 'a day in both lists',
      years: [year(['2026-10-10'], ['2026-10-10'])],
      expected: ['calendar 2026: 2026-10-10 同时列为放假日和调休上班日'],
    },
    {
      name: 'a day listed twice',
      years: [year(['2026-10-01', '2026-10-01'])],
      expected: ['calendar 2026.holidays: 2026-10-01 重复'],
    },
    {
      name: 'a year given twice',
      years: [year([]), year([])],
      expected: ['calendar 2026: 年份重复'],
    },
  ])('$name', ({ years, expected }) => {
    expect(calendarDataProblems(years)).toEqual(expected);
  });
});

describe('calendarCoverage', () => {
  it.each([
    { name: 'mid-year, this year loaded', years: [2026], today: '2026-06-01', status: 'ok', problems: 0 },
    { name: '30 November, next year missing', years: [2026], today: '2026-11-30', status: 'ok', problems: 0 },
    {
      name: '1 December, next year missing',
      years: [2026],
      today: '2026-12-01',
      status: 'warn',
      problems: 1,
    },
    {
      name: '31 December, next year missing',
      years: [2026],
      today: '2026-12-31',
      status: 'warn',
      problems: 1,
    },
    {
      name: '1 December, next year loaded',
      years: [2026, 2027],
      today: '2026-12-01',
      status: 'ok',
      problems: 0,
    },
    { name: 'this year missing', years: [2025, 2026], today: '2027-01-01', status: 'fail', problems: 1 },
    {
      name: 'this and next year missing in December',
      years: [2026],
      today: '2027-12-05',
      status: 'fail',
      problems: 2,
    },
  ])('$name → $status', ({ years, today, status, problems }) => {
    const coverage = calendarCoverage(years, today);
    expect(coverage.status).toBe(status);
    expect(coverage.problems).toHaveLength(problems);
  });

  it('names the missing year and what covers what', () => {
    expect(calendarCoverage([2026, 2025], '2026-12-04')).toEqual({
      status: 'warn',
      today: '2026-12-04',
      years: [2025, 2026],
      currentYear: 2026,
      currentYearCovered: true,
      nextYear: 2027,
      nextYearCovered: false,
      problems: ['缺少 2027 年的法定节假日安排（config/holidays.yml），请在国务院办公厅通知发布后补录'],
    });
  });
});

describe('chinaToday', () => {
  it.each([
    ['2026-11-30T15:59:59Z', '2026-11-30'],
    ['2026-11-30T16:00:00Z', '2026-12-01'],
  ])('%s → %s (UTC+8)', (now, expected) => {
    expect(chinaToday(new Date(now))).toBe(expected);
  });
});

describe('calendarDays', () => {
  it('joins the official years and the local extras', () => {
    const days = calendarDays(
      [
        { year: 2025, source: 's', holidays: ['2025-10-01'], makeUpWorkdays: ['2025-10-11'] },
        { year: 2026, source: 's', holidays: ['2026-10-01'], makeUpWorkdays: [] },
      ],
      { publicHolidays: ['2026-11-11'], makeUpWorkdays: ['2026-11-14'] },
    );
    expect(days).toEqual({
      holidays: ['2025-10-01', '2026-10-01', '2026-11-11'],
      makeUpWorkdays: ['2025-10-11', '2026-11-14'],
    });
  });
});
