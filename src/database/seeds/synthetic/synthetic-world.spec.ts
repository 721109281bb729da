import { ACCIDENT_PRIMARY_CAUSES, MARGINAL_PRIMARY_CAUSES } from '../../../modules/archives/archive.enums';
import { Random } from '../demo-random';
import { drawOffer, generateOffers, type MenuItemInfo } from './synthetic-offers';
import {
  drawNeedTerms,
  generateHouseholds,
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
      for (const h of households) expect(h.headOver50).toBe(YEAR - h.headBirthYear >= 52);
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
      for (const h of households) {
        if (h.category === 'marginal') expect(MARGINAL_PRIMARY_CAUSES).toContain(h.primaryCause);
        if (h.category === 'accident') expect(ACCIDENT_PRIMARY_CAUSES).toContain(h.primaryCause);
        expect(h.causes[0]).toBe(h.primaryCause);
        expect(new Set(h.causes).size).toBe(h.causes.length);
      }
    });

    it('makes temporary archives 意外致困 and migrant archives only in migrant-heavy unions', () => {
      const migrantUnits = new Set(world.units.filter((u) => u.migrantHeavy).map((u) => u.id));
      for (const h of households) {
        if (h.kind === 'temporary') expect(h.category).toBe('accident');
        if (h.kind === 'migrant') expect(migrantUnits.has(h.unitId)).toBe(true);
      }
      expect(share(households, (h) => h.kind === 'migrant')).toBeGreaterThan(0.1);
    });

    it('is deterministic from the seed', () => {
      expect(generateHouseholds(new Random(7), world, 50, YEAR)).toEqual(households.slice(0, 50));
      expect(generateHouseholds(new Random(8), world, 50, YEAR)).not.toEqual(households.slice(0, 50));
    });
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
      for (const o of offers) {
        const units = o.itemCodes.map((c) => ITEMS.find((i) => i.code === c)!.unit);
        expect(new Set(units).size).toBe(1);
        expect(o.kind).toBe(units[0] === 'yuan' ? 'cash' : units[0]);
        expect(o.capacity).toBeGreaterThanOrEqual(5);
        expect(o.capacity).toBeLessThanOrEqual(500);
        expect(o.remaining).toBeGreaterThanOrEqual(0);
        expect(o.remaining).toBeLessThanOrEqual(o.capacity);
        expect(o.amountPerBeneficiaryFen !== null).toBe(o.kind === 'cash');
        const categories = new Set(o.itemCodes.map((c) => ITEMS.find((i) => i.code === c)!.category));
        expect(categories.size).toBe(1);
      }
      expect(share(offers, (o) => o.remaining === 0)).toBeCloseTo(0.06, 1);
    });

    it('scopes every offer to a unit of the world or a region prefix, online ones to the city', () => {
      for (const o of offers) {
        expect(o.scopeUnitId !== null || o.scopeRegionPrefix !== null).toBe(true);
        if (o.scopeUnitId) expect(ids.has(o.scopeUnitId)).toBe(true);
        if (o.scopeRegionPrefix) expect(o.scopeRegionPrefix).toMatch(/^3301(\d\d)?$/);
        expect(o.regionCode).toMatch(/^3301\d\d$/);
        if (o.online) expect(o.scopeUnitId).toBe('city');
      }
      expect(share(offers, (o) => o.online)).toBeCloseTo(0.1, 1);
      expect(share(offers, (o) => o.scopeUnitId !== null && o.scopeUnitId.includes('-gr-'))).toBeCloseTo(
        0.3,
        1,
      );
    });

    it('keeps about 92 % inside their validity window today, the windows valid', () => {
      const inside = share(offers, (o) => o.validFrom <= TODAY && TODAY <= o.validUntil);
      expect(Math.abs(inside - 0.92)).toBeLessThan(0.02);
      for (const o of offers) expect(o.validFrom <= o.validUntil).toBe(true);
    });

    it('is deterministic from the seed', () => {
      const again = new Random(11);
      expect(drawOffer(again, world, ITEMS, TODAY)).toEqual(offers[0]);
    });
  });
});
