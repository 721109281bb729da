import { resolve } from 'node:path';
import { calendarDays } from '../../../common/calendar/china-calendar';
import { loadConfig } from '../../../config/load-config';
import { noticePeriod, workingCalendar } from './working-days.rule';

/** The 公示 periods the shipped calendar (config/holidays.yml) gives around the long holidays. */
describe('public notice on the shipped official calendar', () => {
  const config = loadConfig({ env: {}, configDir: resolve(__dirname, '../../../../config') });
  const days = calendarDays(config.calendar.years, config.archives);
  const calendar = workingCalendar(days.holidays, days.makeUpWorkdays);

  it.each([
    // 国庆 2026: 1–7 Oct off, Sun 20 Sep and Sat 10 Oct worked.
    { approvedOn: '2026-09-29', startsOn: '2026-09-30', endsOn: '2026-10-12' },
    { approvedOn: '2026-09-30', startsOn: '2026-10-08', endsOn: '2026-10-13' },
    // 中秋 2026: Fri 25 – Sun 27 Sep off; Sun 20 Sep worked.
    { approvedOn: '2026-09-18', startsOn: '2026-09-20', endsOn: '2026-09-24' },
    // 春节 2026: 15–23 Feb off, Sat 14 and Sat 28 Feb worked.
    { approvedOn: '2026-02-12', startsOn: '2026-02-13', endsOn: '2026-02-26' },
    // 国庆、中秋 2025: 1–8 Oct off, Sat 11 Oct worked.
    { approvedOn: '2025-09-30', startsOn: '2025-10-09', endsOn: '2025-10-14' },
    // 元旦 2026: 1–3 Jan off, Sun 4 Jan worked.
    { approvedOn: '2025-12-31', startsOn: '2026-01-04', endsOn: '2026-01-08' },
  ])('approved $approvedOn → $startsOn … $endsOn', ({ approvedOn, startsOn, endsOn }) => {
    expect(noticePeriod(approvedOn, 5, calendar)).toEqual({ startsOn, endsOn });
  });
});
