import { ACCIDENT_PRIMARY_CAUSES, MARGINAL_PRIMARY_CAUSES } from '../../../modules/archives/archive.enums';
import { Random } from '../demo-random';
import { drawOffer, generateOffers, type MenuItemInfo } from './synthetic-offers';
import {
  drawNeedTerms,
  generateHouseholds,
  generateNeeds,
  HEAD_OVER_50_SHARE,
  LEADING_CAUSES,
  LEADING_CAUSES_SHARE,
  syntheticCity,
} from './synthetic-world';

const YEAR = 2026;
const TODAY = '2026-11-23';
const N = 10_000;
const share = <T>(rows: readonly T[], test: (row: T) => boolean) => rows.filter(test).length / rows.length;

const ITEMS: MenuItemInfo[] = [
  { code: 'training_welder', category: 'training', unit: 'slots' },
  { code: 'training_cook', category: 'training', unit: 'slots' },
  { code: 'job_fair', category: 'employment', unit: 'slots' },
  { code: 'goods_grain_oil', category: 'donation', unit: 'goods' },
  { code: 'tuition_college', category: 'tuition', unit: 'yuan' },
  { code: 'medical_serious_illness', category: 'medical', unit: 'yuan' },
  { code: 'medical_checkup', category: 'medical', unit: 'slots' },
  { code: 'legal_consultation', category: 'legal', unit: 'slots' },
  { code: 'counseling_family', category: 'counseling', unit: 'slots' },
  { code: 'relief_temporary', category: 'relief', unit: 'yuan' },
  { code: 'care_home_visit', category: 'care', unit: 'slots' },
  { code: 'policy_consultation', category: 'policy', unit: 'slots' },
];

describe('synthetic world', () => {
  const world = syntheticCity({ districts: 6, unionsPerDistrict: 5 });

  it('is a city with districts and grassroots unions below them, with real region codes', () => {
    const city = world.units.filter((u) => u.level === 'city');
    const districts = world.units.filter((u) => u.level === 'district');
    const unions = world.units.filter((u) => u.level === 'grassroots');
    expect(city).toHaveLength(1);
    expect(districts).toHaveLength(6);
    expect(unions).toHaveLength(30);
    for (const d of districts) {
      expect(d.parentId).toBe(city[0].id);
      expect(d.regionCode).toMatch(/^3301\d\d$/);
    }
    for (const u of unions) {
      const parent = districts.find((d) => d.id === u.parentId)!;
      expect(u.regionCode).toBe(parent.regionCode);
    }
    expect(unions.some((u) => u.migrantHeavy)).toBe(true);
  });

  describe(`on ${N} households`, () => {
    const households = generateHouseholds(new Random(7), world, N, YEAR);

    it(`has ${HEAD_OVER_50_SHARE * 100} % of heads over 50 (±2 %)`, () => {
      const over50 = share(households, (h) => YEAR - h.headBirthYear > 51);
      expect(Math.abs(over50 - HEAD_OVER_50_SHARE)).toBeLessThan(0.02);
      expect(households.filter((h) => h.headOver50 !== YEAR - h.headBirthYear >= 52)).toEqual([]);
    });

    it(`has illness, schooling and low employment as ${LEADING_CAUSES_SHARE * 100} % of primary causes (±2 %)`, () => {
      const leading = share(households, (h) => LEADING_CAUSES.includes(h.primaryCause));
      expect(Math.abs(leading - LEADING_CAUSES_SHARE)).toBeLessThan(0.02);
      expect(share(households, (h) => h.primaryCause === 'illness')).toBeGreaterThan(0.3);
    });

    it('has the three categories, 边缘 most, 意外 fewest, each with a primary cause its rule accepts', () => {
      const dibao = share(households, (h) => h.category === 'dibao');
      const marginal = share(households, (h) => h.category === 'marginal');
      const accident = share(households, (h) => h.category === 'accident');
      expect(dibao).toBeGreaterThan(0.3);
      expect(dibao).toBeLessThan(0.42);
      expect(marginal).toBeGreaterThan(0.48);
      expect(accident).toBeGreaterThan(0.05);
      expect(accident).toBeLessThan(0.14);
      const wrong = households.filter(
        (h) =>
          (h.category === 'marginal' && !MARGINAL_PRIMARY_CAUSES.includes(h.primaryCause)) ||
          (h.category === 'accident' && !ACCIDENT_PRIMARY_CAUSES.includes(h.primaryCause)) ||
          h.causes[0] !== h.primaryCause ||
          new Set(h.causes).size !== h.causes.length,
      );
      expect(wrong).toEqual([]);
    });

    it('makes temporary archives 意外致困 and migrant archives only in migrant-heavy unions', () => {
      const migrantUnits = new Set(world.units.filter((u) => u.migrantHeavy).map((u) => u.id));
      const wrong = households.filter(
        (h) =>
          (h.kind === 'temporary' && h.category !== 'accident') ||
          (h.kind === 'migrant' && !migrantUnits.has(h.unitId)),
      );
      expect(wrong).toEqual([]);
      expect(share(households, (h) => h.kind === 'migrant')).toBeGreaterThan(0.1);
    });

    it('is deterministic from the seed', () => {
      expect(generateHouseholds(new Random(7), world, 50, YEAR)).toEqual(households.slice(0, 50));
      expect(generateHouseholds(new Random(8), world, 50, YEAR)).not.toEqual(households.slice(0, 50));
    });
  });

  it('orders needs over the menu items by primary cause: schooling households mostly tuition, the unemployed training and jobs', () => {
    const households = generateHouseholds(new Random(5), world, 4000, YEAR);
    const needs = generateNeeds(new Random(6), households, ITEMS);
    expect(needs.length / households.length).toBeGreaterThan(1.3);
    expect(needs.length / households.length).toBeLessThan(1.7);
    const codes = new Set(ITEMS.map((i) => i.code));
    const category = new Map(ITEMS.map((i) => [i.code, i.category]));
    expect(needs.filter((n) => !codes.has(n.itemCode) || category.get(n.itemCode) !== n.category)).toEqual(
      [],
    );
    const of = (cause: string) => needs.filter((n) => households[n.household].primaryCause === cause);
    expect(share(of('schooling'), (n) => n.category === 'tuition')).toBeGreaterThan(0.5);
    expect(share(of('unemployment'), (n) => ['training', 'employment'].includes(n.category))).toBeGreaterThan(
      0.6,
    );
    expect(share(of('illness'), (n) => n.category === 'medical')).toBeGreaterThan(0.35);
    expect(new Set(needs.map((n) => n.category)).size).toBeGreaterThanOrEqual(8);
  });

  it('orders relief mostly urgent or emergency, other categories mostly normal', () => {
    const random = new Random(3);
    const relief = Array.from({ length: 2000 }, () => drawNeedTerms(random, 'relief'));
    const training = Array.from({ length: 2000 }, () => drawNeedTerms(random, 'training'));
    expect(share(relief, (t) => t.urgency !== 'normal')).toBeGreaterThan(0.7);
    expect(share(training, (t) => t.urgency === 'normal')).toBeGreaterThan(0.7);
    expect(share(training, (t) => t.mode === 'any')).toBeGreaterThan(0.5);
  });

  describe(`on ${N} offers`, () => {
    const offers = generateOffers(new Random(11), world, ITEMS, N, TODAY);
    const ids = new Set(world.units.map((u) => u.id));

    it('has every kind, with the kind of its items and realistic capacities', () => {
      const kinds = new Set(offers.map((o) => o.kind));
      expect(kinds).toEqual(new Set(['slots', 'goods', 'cash']));
      const item = new Map(ITEMS.map((i) => [i.code, i]));
      // One list of problems (an expect per offer is slow on 10k).
      const problems = offers.flatMap((o, i) => {
        const units = new Set(o.itemCodes.map((c) => item.get(c)!.unit));
        const categories = new Set(o.itemCodes.map((c) => item.get(c)!.category));
        const unit = [...units][0];
        const wrong = [
          units.size !== 1 && 'items of several units',
          categories.size !== 1 && 'items of several categories',
          o.kind !== (unit === 'yuan' ? 'cash' : unit) && 'kind not its unit',
          (o.capacity < 5 || o.capacity > 500) && 'capacity',
          (o.remaining < 0 || o.remaining > o.capacity) && 'remaining',
          (o.amountPerBeneficiaryFen !== null) !== (o.kind === 'cash') && 'cash amount',
        ].filter(Boolean);
        return wrong.length ? [{ i, wrong }] : [];
      });
      expect(problems).toEqual([]);
      expect(share(offers, (o) => o.remaining === 0)).toBeCloseTo(0.06, 1);
    });

    it('scopes every offer to a unit of the world or a region prefix, online ones to the city', () => {
      const wrong = offers.filter(
        (o) =>
          (o.scopeUnitId === null && o.scopeRegionPrefix === null) ||
          (o.scopeUnitId !== null && !ids.has(o.scopeUnitId)) ||
          (o.scopeRegionPrefix !== null && !/^3301(\d\d)?$/.test(o.scopeRegionPrefix)) ||
          !/^3301\d\d$/.test(o.regionCode) ||
          (o.online && o.scopeUnitId !== 'city'),
      );
      expect(wrong).toEqual([]);
      expect(share(offers, (o) => o.online)).toBeCloseTo(0.1, 1);
      expect(share(offers, (o) => o.scopeUnitId !== null && o.scopeUnitId.includes('-gr-'))).toBeCloseTo(
        0.3,
        1,
      );
    });

    it('keeps about 92 % inside their validity window today, the windows valid', () => {
      const inside = share(offers, (o) => o.validFrom <= TODAY && TODAY <= o.validUntil);
      expect(Math.abs(inside - 0.92)).toBeLessThan(0.02);
      expect(offers.filter((o) => o.validFrom > o.validUntil)).toEqual([]);
    });

    it('is deterministic from the seed', () => {
      const again = new Random(11);
      expect(drawOffer(again, world, ITEMS, TODAY)).toEqual(offers[0]);
    });
  });
});
