import { auditTimeRange } from './audit-time-range.rule';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

describe('auditTimeRange', () => {
  it.each<[string, string | undefined, string | undefined, string | null, string | null]>([
    ['no bounds', undefined, undefined, null, null],
    [
      'a date is a Beijing day: from its first instant',
      '2026-03-02',
      undefined,
      '2026-03-01T16:00:00.000Z',
      null,
    ],
    [
      'a date as `to` includes that whole Beijing day',
      undefined,
      '2026-03-02',
      null,
      '2026-03-02T16:00:00.000Z',
    ],
    [
      'the same date on both sides is one day',
      '2026-03-02',
      '2026-03-02',
      '2026-03-01T16:00:00.000Z',
      '2026-03-02T16:00:00.000Z',
    ],
    [
      'a date-time with Z is that instant',
      '2026-03-02T10:00:00Z',
      undefined,
      '2026-03-02T10:00:00.000Z',
      null,
    ],
    [
      'a date-time with an offset is that instant',
      '2026-03-02T10:00:00+08:00',
      undefined,
      '2026-03-02T02:00:00.000Z',
      null,
    ],
    [
      'a date-time without offset is Beijing time',
      '2026-03-02T10:00',
      undefined,
      '2026-03-02T02:00:00.000Z',
      null,
    ],
    [
      '`to` as a date-time includes that millisecond',
      undefined,
      '2026-03-02T10:00:00.500Z',
      null,
      '2026-03-02T10:00:00.501Z',
    ],
  ])('%s', (_name, from, to, expectedFrom, expectedBefore) => {
    const range = auditTimeRange(from, to);
    expect(range).not.toBeNull();
    expect(iso(range!.from)).toBe(expectedFrom);
    expect(iso(range!.before)).toBe(expectedBefore);
  });

  it.each([
    ['from after to', '2026-03-03', '2026-03-02'],
    ['from equal to a date-time `to` plus one ms', '2026-03-02T10:00:00.001Z', '2026-03-02T10:00:00Z'],
  ])('is empty (null) when %s', (_name, from, to) => {
    expect(auditTimeRange(from, to)).toBeNull();
  });

  it('accepts from == to for a date-time (that one millisecond)', () => {
    expect(auditTimeRange('2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z')).not.toBeNull();
  });

  it.each(['yesterday', '2026-3-2', '2026-03-02 10:00'])(
    'throws on %s (the DTO refuses it first)',
    (value) => {
      expect(() => auditTimeRange(value, undefined)).toThrow(RangeError);
    },
  );
});
