import { addMonths, isWorkingDay, nextWorkingDay, noticePeriod, workingCalendar } from './working-days.rule';

const plain = workingCalendar();
// National Day 2026 (Thu 1 Oct – Wed 7 Oct off; Sat 10 Oct worked), as a holiday notice would give it.
const nationalDay = workingCalendar(
  ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  ['2026-10-10'],
);

describe('working-days rule', () => {
  describe('isWorkingDay', () => {
    it.each([
      ['2026-03-02', plain, true, 'Monday'],
      ['2026-03-06', plain, true, 'Friday'],
      ['2026-03-07', plain, false, 'Saturday'],
      ['2026-03-08', plain, false, 'Sunday'],
      ['2026-10-01', nationalDay, false, 'holiday on a Thursday'],
      ['2026-10-10', nationalDay, true, 'make-up Saturday'],
      ['2026-10-11', nationalDay, false, 'ordinary Sunday in a holiday calendar'],
    ])('%s is %s: %s', (date, calendar, expected) => {
      expect(isWorkingDay(date, calendar)).toBe(expected);
    });
  });

  describe('nextWorkingDay', () => {
    it.each([
      ['2026-03-02', '2026-03-03', 'Monday → Tuesday'],
      ['2026-03-06', '2026-03-09', 'Friday → Monday (weekend skipped)'],
      ['2026-03-07', '2026-03-09', 'Saturday → Monday'],
      ['2026-12-31', '2027-01-01', 'across the year end (Thursday → Friday, no holidays configured)'],
    ])('%s → %s (%s)', (from, expected) => {
      expect(nextWorkingDay(from, plain)).toBe(expected);
    });
  });

  describe('noticePeriod (5 working days, starting the next working day)', () => {
    it.each([
      ['2026-03-02', '2026-03-03', '2026-03-09', 'approved Monday: Tue–Mon, one weekend skipped'],
      ['2026-03-05', '2026-03-06', '2026-03-12', 'approved Thursday: Fri–Thu'],
      ['2026-03-06', '2026-03-09', '2026-03-13', 'approved Friday: the full next week'],
      ['2026-03-07', '2026-03-09', '2026-03-13', 'approved Saturday: the same as Friday'],
      ['2026-02-27', '2026-03-02', '2026-03-06', 'across a month end'],
    ])('approved %s → %s … %s (%s)', (approvedOn, startsOn, endsOn) => {
      expect(noticePeriod(approvedOn, 5, plain)).toEqual({ startsOn, endsOn });
    });

    it('skips statutory holidays and counts make-up working days', () => {
      // Approved Wed 30 Sep: 1–7 Oct off, Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13.
      expect(noticePeriod('2026-09-30', 5, nationalDay)).toEqual({
        startsOn: '2026-10-08',
        endsOn: '2026-10-13',
      });
    });

    it('a one-day notice starts and ends on the next working day', () => {
      expect(noticePeriod('2026-03-06', 1, plain)).toEqual({ startsOn: '2026-03-09', endsOn: '2026-03-09' });
    });

    it('refuses a notice of no working days', () => {
      expect(() => noticePeriod('2026-03-02', 0, plain)).toThrow();
    });
  });

  describe('addMonths', () => {
    it.each([
      ['2026-03-02', 6, '2026-09-02'],
      ['2026-08-31', 6, '2027-02-28'],
      ['2027-08-31', 6, '2028-02-29'],
      ['2026-11-15', 2, '2027-01-15'],
      ['2026-03-31', -1, '2026-02-28'],
    ])('%s + %i months = %s', (date, months, expected) => {
      expect(addMonths(date, months)).toBe(expected);
    });
  });
});
