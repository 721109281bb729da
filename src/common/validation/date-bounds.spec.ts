import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import {
  DATE_BOUNDS,
  isWithinDateBound,
  latestDate,
  WithinDateBound,
  type DateBoundKind,
} from './date-bounds';

const NOW = new Date('2026-12-05T07:00:00Z'); // 15:00 in China

describe('date bounds', () => {
  it.each<[DateBoundKind, string, boolean]>([
    ['birth', '1899-12-31', false],
    ['birth', '1900-01-01', true],
    ['birth', '2026-12-05', true],
    ['birth', '2026-12-06', false],
    ['event', '1999-12-31', false],
    ['event', '2026-12-06', true],
    ['event', '2026-12-07', false],
    ['consent', '1800-01-01T00:00:00Z', false],
    ['consent', '2021-10-31T23:59:59+08:00', false],
    ['consent', '2021-11-01T00:00:00+08:00', true],
    ['consent', '2026-12-05T07:04:00Z', true],
    ['consent', '2026-12-05T07:06:00Z', false],
    ['effective', '3000-01-01', false],
    ['effective', '2027-12-06', true],
    ['effective', '2027-12-07', false],
    ['effective', '1999-12-31', false],
    ['queryInstant', '2026-03-01', true],
    ['queryInstant', '1800-01-01', false],
    ['queryInstant', '9999-12-31T00:00:00Z', false],
    ['accountExpiry', '2031-12-01T00:00:00Z', true],
    ['accountExpiry', '2040-01-01T00:00:00Z', false],
  ])('%s %s → %s', (kind, value, ok) => {
    expect(isWithinDateBound(value, kind, NOW)).toBe(ok);
  });

  it('leaves malformed values to the format validator', () => {
    expect(isWithinDateBound('2026-02-30', 'birth', NOW)).toBe(true);
    expect(isWithinDateBound('yesterday', 'consent', NOW)).toBe(true);
    expect(isWithinDateBound(42, 'birth', NOW)).toBe(true);
  });

  it('counts days in China time', () => {
    // 17:00 UTC is already the next day in China.
    expect(latestDate('birth', new Date('2026-12-05T17:00:00Z'))).toBe('2026-12-06');
  });

  it('documents every bound with a label and its users', () => {
    for (const bound of Object.values(DATE_BOUNDS)) {
      expect(bound.earliestLabel).toBeTruthy();
      expect(bound.latestLabel).toBeTruthy();
      expect(bound.usedBy).toBeTruthy();
    }
  });

  it('the decorator refuses with a Chinese message naming the bound', () => {
    class Probe {
      @WithinDateBound('consent', '签署时间') grantedAt!: string;
    }
    const errors = validateSync(plainToInstance(Probe, { grantedAt: '1800-01-01T00:00:00Z' }));
    expect(errors[0].constraints).toEqual({
      withinDateBound: '签署时间须在 2021-11-01（个人信息保护法施行） 至 当前时间 之间',
    });
  });
});
