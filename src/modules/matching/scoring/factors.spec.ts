import {
  capacityFactor,
  fairnessFactor,
  hardshipFactor,
  itemFactor,
  proximityFactor,
  textFactor,
  waitingFactor,
} from './factors';
import { SCORING_SETTINGS } from '../testing/scoring-settings.fixture';

const SETTINGS = SCORING_SETTINGS;

describe('textFactor: the engine relevance against the best hit of the same search', () => {
  it.each([
    [0.8, 0.8, 1],
    [0.4, 0.8, 0.5],
    [0, 0.8, 0],
    [0.5, 0, 0], // nothing relevant at all: no text signal
    [0.9, 0.6, 1], // never above 1
    [-0.1, 0.6, 0],
  ])('score %p of best %p → %p', (hit, best, expected) => {
    expect(textFactor(hit, best)).toBeCloseTo(expected, 12);
  });
});

describe('itemFactor', () => {
  const need = { menuItemId: 'item-a', category: 'training' as const };
  it.each([
    ['the need’s own item', ['item-b', 'item-a'], ['training'], 1],
    ['another item of the category', ['item-b'], ['training'], 0.5],
    ['another category', ['item-c'], ['legal'], 0],
    ['an offer of several categories including the need’s', ['item-c'], ['legal', 'training'], 0.5],
  ] as const)('%s', (_, items, categories, expected) => {
    expect(itemFactor(need, { menuItemIds: items, categories }, SETTINGS)).toBe(expected);
  });
});

describe('proximityFactor: shared digits of the GB/T 2260 codes', () => {
  it.each([
    ['the same district', '330106', false, '330106', 1],
    ['the same city, another district', '330106', false, '330105', 0.6],
    ['the same province, another city', '330106', false, '330212', 0.3],
    ['another province', '330106', false, '340102', 0],
    ['online, far away', '330106', true, '110101', 0.5],
    ['online, next door', '330106', true, '330106', 0.5],
    ['no location (treated as online)', '330106', false, null, 0.5],
  ] as const)('%s', (_, needRegion, online, offerRegion, expected) => {
    expect(proximityFactor(needRegion, { online, regionCode: offerRegion }, SETTINGS)).toBe(expected);
  });
});

describe('hardshipFactor: mean of category, primary cause and urgency', () => {
  it.each([
    ['dibao', 'illness', 'emergency', 1],
    ['marginal', 'low_income', 'normal', (0.7 + 0.6 + 0.3) / 3],
    ['accident', 'accident', 'urgent', (0.8 + 0.9 + 0.7) / 3],
    ['dibao', 'other', 'normal', (1 + 0.4 + 0.3) / 3],
  ] as const)('%s / %s / %s', (category, primaryCause, urgency, expected) => {
    expect(hardshipFactor({ category, primaryCause }, urgency, SETTINGS)).toBeCloseTo(expected, 12);
  });
});

describe('waitingFactor: linear in days since the need opened, saturating', () => {
  const opened = new Date('2026-10-01T00:00:00Z');
  it.each([
    [0, 0],
    [15, 0.25],
    [30, 0.5],
    [60, 1],
    [200, 1],
    [-3, 0], // a clock behind the opening: never negative
  ])('%p days → %p', (days, expected) => {
    const now = new Date(opened.getTime() + days * 86_400_000);
    expect(waitingFactor(opened, now, SETTINGS)).toBeCloseTo(expected, 12);
  });
});

describe('fairnessFactor: less aid in the last 12 months scores higher', () => {
  it.each([
    [0, 1],
    [200_000, 0.5],
    [600_000, 0.25],
    [-100, 1], // refunds never raise it above 1
  ])('%p fen → %p', (fen, expected) => {
    expect(fairnessFactor(fen, SETTINGS)).toBeCloseTo(expected, 12);
  });
  it('is strictly decreasing in the aid received', () => {
    expect(fairnessFactor(1_000, SETTINGS)).toBeGreaterThan(fairnessFactor(2_000, SETTINGS));
  });
});

describe('capacityFactor: free capacity not already asked for', () => {
  it.each([
    [10, 0, 1],
    [10, 10, 0.5],
    [1, 3, 0.25],
    [0, 0, 0],
    [-1, 0, 0],
  ])('remaining %p, pending %p → %p', (remaining, pending, expected) => {
    expect(capacityFactor({ remaining, pending })).toBeCloseTo(expected, 12);
  });
});
