import {
  aidLimitViolations,
  effectiveRows,
  OVERRIDABLE,
  type AidLimits,
  type LedgerRow,
} from './aid-limits.rule';

const LIMITS: AidLimits = {
  oneOffCapFen: 2_000_000, // 20,000 元
  annualCapFen: { relief: 3_000_000, medical: 5_000_000 },
  duplicateCauseDays: 180,
};

const row = (id: string, patch: Partial<LedgerRow> = {}): LedgerRow => ({
  id,
  date: '2026-06-01',
  category: 'relief',
  cause: 'illness',
  valueFen: 500_000,
  reverses: null,
  ...patch,
});

const aid = (patch: Partial<Parameters<typeof aidLimitViolations>[0]> = {}) => ({
  date: '2026-12-05',
  category: 'relief' as const,
  cause: 'disaster' as const,
  valueFen: 100_000,
  ...patch,
});

describe('aidLimitViolations', () => {
  it('passes aid within every limit', () => {
    expect(aidLimitViolations(aid(), [row('a')], LIMITS)).toEqual([]);
  });

  it.each([
    ['at the one-off cap', 2_000_000, []],
    ['one fen above it', 2_000_001, [{ code: 'AID_ONE_OFF_CAP', capFen: 2_000_000, valueFen: 2_000_001 }]],
  ] as const)('one-off cap: %s', (_, valueFen, expected) => {
    expect(aidLimitViolations(aid({ valueFen, category: 'tuition' }), [], LIMITS)).toEqual(expected);
  });

  it('one-off cap: none when it is turned off (null)', () => {
    expect(
      aidLimitViolations(aid({ valueFen: 2_000_001, category: 'tuition' }), [], {
        ...LIMITS,
        oneOffCapFen: null,
      }),
    ).toEqual([]);
  });

  it('annual cap: counts this calendar year’s rows of the category only', () => {
    const ledger = [
      row('a', { date: '2026-01-10', valueFen: 1_500_000 }),
      row('b', { date: '2026-11-30', valueFen: 1_000_000 }),
      row('c', { date: '2025-12-31', valueFen: 2_000_000 }), // last year
      row('d', { date: '2026-03-01', category: 'medical', valueFen: 2_000_000 }), // other category
    ];
    expect(aidLimitViolations(aid({ valueFen: 500_000 }), ledger, LIMITS)).toEqual([]);
    expect(aidLimitViolations(aid({ valueFen: 500_001 }), ledger, LIMITS)).toEqual([
      { code: 'AID_ANNUAL_CAP', capFen: 3_000_000, usedFen: 2_500_000, valueFen: 500_001, year: '2026' },
    ]);
    // A category without an annual cap has none.
    expect(aidLimitViolations(aid({ category: 'tuition', valueFen: 1_900_000 }), ledger, LIMITS)).toEqual([]);
  });

  it('不重复救助: the same cause within the period, naming the latest earlier row', () => {
    const ledger = [
      row('old', { date: '2026-05-01', cause: 'disaster', category: 'donation' }),
      row('new', { date: '2026-07-01', cause: 'disaster', category: 'medical' }),
    ];
    expect(aidLimitViolations(aid(), ledger, LIMITS)).toEqual([
      {
        code: 'AID_DUPLICATE_CAUSE',
        earlierRowId: 'new',
        earlierDate: '2026-07-01',
        cause: 'disaster',
        days: 180,
      },
    ]);
    // The default date is 157 days after the latest row: inside 180; day 180 itself is outside.
    expect(aidLimitViolations(aid({ date: '2026-12-28' }), ledger, LIMITS)).toEqual([]);
    expect(aidLimitViolations(aid({ date: '2026-12-27' }), ledger, LIMITS)).toHaveLength(1);
    // Another cause is no duplicate; 0 days turns the rule off.
    expect(aidLimitViolations(aid({ cause: 'schooling' }), ledger, LIMITS)).toEqual([]);
    expect(aidLimitViolations(aid(), ledger, { ...LIMITS, duplicateCauseDays: 0 })).toEqual([]);
  });

  it('不重复救助: names the latest of several earlier rows (by date, then id), counts the same day, not later days', () => {
    // Ids sort against the dates, so a comparison that falls back to ids too early picks the wrong row.
    const rows = [
      row('late-2', { date: '2026-10-01', cause: 'disaster' }),
      row('late-1', { date: '2026-10-01', cause: 'disaster' }),
      row('a-early', { date: '2026-08-01', cause: 'disaster' }),
    ];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const ledger of orders.map((order) => order.map((i) => rows[i]!))) {
      expect(aidLimitViolations(aid(), ledger, LIMITS)).toMatchObject([
        { earlierRowId: 'late-1', earlierDate: '2026-10-01' },
      ]);
      expect(aidLimitViolations(aid({ date: '2026-10-01' }), ledger, LIMITS)).toMatchObject([
        { earlierRowId: 'late-1' },
      ]);
      // A row dated after the aid being judged is no earlier aid.
      expect(aidLimitViolations(aid({ date: '2026-09-30' }), ledger, LIMITS)).toMatchObject([
        { earlierRowId: 'a-early' },
      ]);
      expect(aidLimitViolations(aid({ date: '2026-07-31' }), ledger, LIMITS)).toEqual([]);
    }
  });

  it('lists every violation in a fixed order; only the duplicate may be overridden', () => {
    const ledger = [row('a', { date: '2026-10-01', cause: 'disaster', valueFen: 2_900_000 })];
    const codes = aidLimitViolations(aid({ valueFen: 2_500_000 }), ledger, LIMITS).map((v) => v.code);
    expect(codes).toEqual(['AID_ONE_OFF_CAP', 'AID_ANNUAL_CAP', 'AID_DUPLICATE_CAUSE']);
    expect(codes.filter((c) => OVERRIDABLE.has(c))).toEqual(['AID_DUPLICATE_CAUSE']);
  });

  it('a reversed row and its reversal count for nothing', () => {
    const ledger = [
      row('a', { date: '2026-10-01', cause: 'disaster', valueFen: 2_900_000 }),
      row('fix', { date: '2026-10-05', cause: 'disaster', valueFen: -2_900_000, reverses: 'a' }),
    ];
    expect(effectiveRows(ledger)).toEqual([]);
    expect(aidLimitViolations(aid({ valueFen: 1_000_000 }), ledger, LIMITS)).toEqual([]);
  });
});
