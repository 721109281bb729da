import { FACTORS } from './factors';
import { compareRanked, integerScore, score, SCORE_SCALE } from './score';

const WEIGHTS = { text: 1, item: 3, proximity: 2, hardship: 2, waiting: 1.5, fairness: 1, capacity: 0.5 };

describe('score = Σ wᵢ·fᵢ with its breakdown', () => {
  it.each([
    [
      'every factor 1',
      { text: 1, item: 1, proximity: 1, hardship: 1, waiting: 1, fairness: 1, capacity: 1 },
      11,
    ],
    [
      'every factor 0',
      { text: 0, item: 0, proximity: 0, hardship: 0, waiting: 0, fairness: 0, capacity: 0 },
      0,
    ],
    ['item only', { item: 1 }, 3],
    [
      'a mix',
      { text: 0.5, item: 0.5, proximity: 0.6, hardship: 0.9, waiting: 0.25 },
      0.5 + 1.5 + 1.2 + 1.8 + 0.375,
    ],
  ])('%s', (_, values, expected) => {
    expect(score(values, WEIGHTS).total).toBeCloseTo(expected, 12);
  });

  it('lists every factor with its Chinese label, weight, value and contribution, summing to the total', () => {
    const result = score({ item: 1, proximity: 0.6, waiting: 0.5 }, WEIGHTS);
    expect(result.breakdown.map((t) => t.factor)).toEqual(FACTORS);
    expect(result.breakdown.find((t) => t.factor === 'proximity')).toEqual({
      factor: 'proximity',
      label: '地域就近',
      weight: 2,
      value: 0.6,
      contribution: 1.2,
    });
    // A factor not computed (no text query) shows 0, not absent.
    expect(result.breakdown.find((t) => t.factor === 'text')).toMatchObject({ value: 0, contribution: 0 });
    expect(result.breakdown.every((t) => t.label.length > 0)).toBe(true);
    expect(result.breakdown.reduce((s, t) => s + t.contribution, 0)).toBe(result.total);
  });

  it('a zero weight switches a factor off', () => {
    const without = score({ text: 1, item: 1 }, { ...WEIGHTS, text: 0 });
    expect(without.total).toBe(3);
  });

  it.each([1.01, -0.01, NaN])('refuses a factor value %p outside [0, 1]', (value) => {
    expect(() => score({ waiting: value }, WEIGHTS)).toThrow(RangeError);
  });

  it('scales to integers for the allocation', () => {
    expect(SCORE_SCALE).toBe(10_000);
    expect(integerScore(3.14159)).toBe(31_416);
    expect(integerScore(0)).toBe(0);
  });
});

describe('compareRanked: total, then the need’s waiting time, then id', () => {
  const at = (iso: string) => new Date(iso);
  it('orders by total first, then the longest waiting need, then id', () => {
    const items = [
      { id: 'c', total: 5, needOpenedAt: at('2026-10-02') },
      { id: 'b', total: 5, needOpenedAt: at('2026-10-01') },
      { id: 'a', total: 5, needOpenedAt: at('2026-10-02') },
      { id: 'z', total: 7, needOpenedAt: at('2026-11-30') },
      { id: 'y', total: 1, needOpenedAt: at('2020-01-01') },
    ];
    expect([...items].sort(compareRanked).map((i) => i.id)).toEqual(['z', 'b', 'a', 'c', 'y']);
    // Deterministic whatever the input order.
    expect(
      [...items]
        .reverse()
        .sort(compareRanked)
        .map((i) => i.id),
    ).toEqual(['z', 'b', 'a', 'c', 'y']);
  });
});
