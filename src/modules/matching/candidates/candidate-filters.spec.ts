import { F, type FilterExpr, type SearchDocument } from '../../../infra/search/search-engine';
import { needSearchDocument } from '../../needs/needs-search.source';
import type { NeedMatchRow } from '../../needs/needs.repository';
import { offerSearchDocument } from '../../offers/offers-search.source';
import type { OfferRow } from '../../offers/offers.repository';
import { hardFilterExclusions, type HardFilter } from '../filters/hard-filters.rule';
import {
  ageBandsWithin,
  needCandidateFilter,
  offerCandidateFilter,
  offerExplainFilter,
} from './candidate-filters';
import { needFacts, offerFacts } from './pair-facts';

/** The port's filter semantics (search-engine.ts), to run a pushed filter against built documents. */
function matches(doc: SearchDocument, f: FilterExpr): boolean {
  const values = (field: string): unknown[] => {
    const v = doc[field];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  switch (f.op) {
    case 'eq':
      return values(f.field).some((v) => v === f.value);
    case 'in':
      return values(f.field).some((v) => f.values.includes(v as never));
    case 'range':
      return values(f.field).some(
        (v) =>
          typeof v === 'number' &&
          (f.gt === undefined || v > f.gt) &&
          (f.gte === undefined || v >= f.gte) &&
          (f.lt === undefined || v < f.lt) &&
          (f.lte === undefined || v <= f.lte),
      );
    case 'and':
      return f.filters.every((g) => matches(doc, g));
    case 'or':
      return f.filters.some((g) => matches(doc, g));
    case 'not':
      return !matches(doc, f.filter);
  }
}

const TODAY = '2026-12-05';
const NOW = new Date('2026-12-05T02:00:00Z');

function needRow(patch: Partial<NeedMatchRow> = {}): NeedMatchRow {
  return {
    id: 'n1',
    state: 'open',
    urgency: 'urgent',
    quantity: 1,
    tags: ['夜班'],
    description: null,
    preferredMode: 'any',
    regionCode: '330106',
    contactPreference: 'phone' as NeedMatchRow['contactPreference'],
    rejectReasons: [],
    onBehalf: false,
    createdBy: 'u1',
    openedAt: new Date('2026-11-05T02:00:00Z'),
    expiresAt: null,
    stateChangedAt: new Date('2026-11-05T02:00:00Z'),
    createdAt: new Date('2026-11-04T02:00:00Z'),
    updatedAt: new Date('2026-11-05T02:00:00Z'),
    version: 3,
    beneficiaryKey: 'head',
    itemCode: 'training_welder',
    itemName: '焊工技能培训',
    itemCategory: 'training',
    itemUnit: 'slots',
    archiveId: 'a1',
    archiveNo: 'ZJ-1',
    archiveStatus: 'active',
    archiveKind: 'formal',
    archiveCategory: 'dibao',
    archiveCauses: ['illness', 'low_income'],
    archiveOwnerUserId: 'w1',
    headName: '张三',
    headBirthDate: '1974-06-01',
    unitId: 'gr1',
    unitPath: '/nat/zj/hz/xh/gr1/',
    unitName: '西湖街道工会',
    memberRelation: null,
    memberName: null,
    memberBirthDate: null,
    employmentStatus: 'laid_off',
    perCapitaIncomeFen: 100_000,
    primaryCause: 'illness',
    householdSize: 3,
    archiveRegionCode: '330106',
    ...patch,
  };
}

function offerRow(patch: Partial<OfferRow> = {}): OfferRow {
  return {
    id: 'o1',
    partnerId: 'p1',
    title: '电焊工培训',
    description: null,
    kind: 'slots',
    capacity: 20,
    amountPerBeneficiaryFen: null,
    reserved: 0,
    used: 0,
    remaining: 20,
    eligCategories: [],
    eligCauses: [],
    eligEmployment: [],
    ageMin: null,
    ageMax: null,
    incomeFactor: null,
    requiresActiveArchive: false,
    scopeOrgUnitId: null,
    scopeRegionPrefix: '3301',
    online: false,
    regionCode: '330106',
    address: null,
    validFrom: '2026-11-01',
    validUntil: '2027-01-31',
    perHouseholdLimit: null,
    cooldownDays: null,
    contactName: '联系人',
    contactPhoneCiphertext: 'x',
    state: 'published',
    closedReason: null,
    returnReasons: [],
    createdBy: 'u2',
    submittedBy: 'u2',
    publishedAt: new Date('2026-11-01T02:00:00Z'),
    stateChangedAt: new Date('2026-11-01T02:00:00Z'),
    createdAt: new Date('2026-10-01T02:00:00Z'),
    updatedAt: new Date('2026-11-01T02:00:00Z'),
    version: 2,
    items: [{ code: 'training_welder', name: '焊工技能培训', category: 'training', unit: 'slots' }],
    partnerName: '爱心企业',
    partnerKind: 'company',
    partnerStatus: 'approved',
    partnerUnitId: 'xh',
    partnerUnitPath: '/nat/zj/hz/xh/',
    scopeUnitPath: null,
    scopeUnitName: null,
    ...patch,
  } as OfferRow;
}

const LINE = 120_000;
const need = needRow();
const facts = needFacts(need, TODAY, LINE);
const offerFilter = offerCandidateFilter({ ...facts, itemCode: need.itemCode }, TODAY);
const NO_HISTORY = { pairTaken: false, householdMatchesOnOffer: 0, lastAidOn: null };

/** Offers, each failing one filter (or none); `pushed`: the engine's filter drops it already. */
const OFFERS: Array<[string, Partial<OfferRow>, HardFilter | null, boolean]> = [
  ['eligible, region scope', {}, null, true],
  [
    'eligible, no scope region, unit on the need path',
    { scopeRegionPrefix: null, scopeOrgUnitId: 'hz', scopeUnitPath: '/nat/zj/hz/' },
    null,
    true,
  ],
  ['eligible, online offer scoped elsewhere', { online: true, scopeRegionPrefix: '4401' }, null, true],
  [
    'eligible, bounds met',
    {
      eligCategories: ['dibao'],
      eligCauses: ['low_income'],
      eligEmployment: ['laid_off'],
      ageMin: 40,
      ageMax: 60,
      incomeFactor: '0.84',
    },
    null,
    true,
  ],
  [
    'another item of the same category',
    { items: [{ code: 'training_cook', name: '厨师培训', category: 'training', unit: 'slots' }] },
    'item',
    true,
  ],
  ['paused', { state: 'paused' }, 'offer_state', true],
  ['draft', { state: 'draft' }, 'offer_state', true],
  ['not yet valid', { validFrom: '2026-12-06' }, 'validity', true],
  ['expired yesterday', { validUntil: '2026-12-04' }, 'validity', true],
  ['nothing remaining', { remaining: 0 }, 'remaining', true],
  ['suspended partner', { partnerStatus: 'suspended' }, 'partner', true],
  ['region scope elsewhere', { scopeRegionPrefix: '3302' }, 'scope', true],
  [
    'unit scope off the path',
    { scopeRegionPrefix: null, scopeOrgUnitId: 'gz', scopeUnitPath: '/nat/gd/gz/' },
    'scope',
    true,
  ],
  ['category bound', { eligCategories: ['marginal'] }, 'archive_category', true],
  ['cause bound', { eligCauses: ['schooling'] }, 'cause', true],
  ['employment bound', { eligEmployment: ['employed'] }, 'employment', true],
  ['too young', { ageMin: 53 }, 'beneficiary_age', true],
  ['too old', { ageMax: 51 }, 'beneficiary_age', true],
  // 100 000 / 120 000 = 0.8333…: 0.83 fails the rule; the engine, rounding down, lets it through.
  ['income bound just below', { incomeFactor: '0.83' }, 'income', false],
  ['income bound well below', { incomeFactor: '0.50' }, 'income', true],
];

describe('offerCandidateFilter: what the need direction pushes into the engine', () => {
  it.each(OFFERS)('%s', (_name, patch, failing, pushed) => {
    const row = offerRow(patch);
    const excluded = hardFilterExclusions(facts, offerFacts(row), NO_HISTORY, TODAY);
    expect(excluded).toEqual(failing === null ? [] : [failing]);
    // Never stronger than the rule: an eligible offer always passes the engine's filter.
    expect(matches(offerSearchDocument(row), offerFilter)).toBe(failing === null || !pushed);
  });

  it('the mode: an onsite need drops online offers, an online need drops onsite ones', () => {
    const onsite = offerCandidateFilter(
      { ...needFacts(needRow({ preferredMode: 'onsite' }), TODAY, LINE), itemCode: need.itemCode },
      TODAY,
    );
    const online = offerCandidateFilter(
      { ...needFacts(needRow({ preferredMode: 'online' }), TODAY, LINE), itemCode: need.itemCode },
      TODAY,
    );
    expect(matches(offerSearchDocument(offerRow({ online: true })), onsite)).toBe(false);
    expect(matches(offerSearchDocument(offerRow()), onsite)).toBe(true);
    expect(matches(offerSearchDocument(offerRow()), online)).toBe(false);
  });

  it('an unknown 低保 line passes only offers without an income bound; an inactive archive only those not requiring one', () => {
    const unknown = offerCandidateFilter({ ...needFacts(need, TODAY, null), itemCode: need.itemCode }, TODAY);
    expect(matches(offerSearchDocument(offerRow({ incomeFactor: '9.00' })), unknown)).toBe(false);
    expect(matches(offerSearchDocument(offerRow()), unknown)).toBe(true);
    const inactive = offerCandidateFilter(
      { ...needFacts(needRow({ archiveStatus: 'publicizing' }), TODAY, LINE), itemCode: need.itemCode },
      TODAY,
    );
    expect(matches(offerSearchDocument(offerRow({ requiresActiveArchive: true })), inactive)).toBe(false);
    expect(matches(offerSearchDocument(offerRow({ requiresActiveArchive: true })), offerFilter)).toBe(true);
  });

  it('the same category is pushed only when the worker accepts it', () => {
    const cook = offerSearchDocument(
      offerRow({ items: [{ code: 'training_cook', name: '厨师培训', category: 'training', unit: 'slots' }] }),
    );
    const accepting = offerCandidateFilter(
      { ...facts, acceptsSameCategory: true, itemCode: need.itemCode },
      TODAY,
    );
    expect(matches(cook, offerFilter)).toBe(false);
    expect(matches(cook, accepting)).toBe(true);
  });

  it('explain pool: live or closed offers of the item or its category, never drafts', () => {
    const pool = offerExplainFilter({ itemCode: need.itemCode, category: need.itemCategory });
    expect(
      matches(offerSearchDocument(offerRow({ state: 'paused', partnerStatus: 'suspended' })), pool),
    ).toBe(true);
    expect(matches(offerSearchDocument(offerRow({ state: 'draft' })), pool)).toBe(false);
    expect(
      matches(
        offerSearchDocument(
          offerRow({
            items: [{ code: 'relief_x', name: '临时救助', category: 'relief', unit: 'yuan' } as never],
          }),
        ),
        pool,
      ),
    ).toBe(false);
  });
});

describe('needCandidateFilter: what the offer direction pushes into the engine', () => {
  const pushed = (offer: OfferRow) =>
    needCandidateFilter({
      itemCodes: offer.items.map((i) => i.code),
      scopeUnitId: offer.scopeOrgUnitId,
      online: offer.online,
      scope: { unitId: offer.scopeOrgUnitId, regionPrefix: offer.scopeRegionPrefix },
      eligibility: offerFacts(offer).eligibility,
    });
  const doc = (patch: Partial<NeedMatchRow> = {}) => needSearchDocument(needRow(patch), NOW);

  it.each<[string, Partial<NeedMatchRow>, Partial<OfferRow>, boolean]>([
    ['an open need of the item in scope', {}, {}, true],
    ['a need in screening', { state: 'screening' }, {}, false],
    ['another item', { itemCode: 'training_cook' }, {}, false],
    ['outside the region prefix', { regionCode: '330201' }, {}, false],
    ['outside the region, online offer', { regionCode: '330201' }, { online: true }, true],
    ['an onsite need, online offer', { preferredMode: 'onsite' }, { online: true }, false],
    ['under the scope unit', {}, { scopeRegionPrefix: null, scopeOrgUnitId: 'xh' }, true],
    ['outside the scope unit', {}, { scopeRegionPrefix: null, scopeOrgUnitId: 'bj' }, false],
    ['category bound not met', {}, { eligCategories: ['marginal'] }, false],
    ['cause bound met by a second cause', {}, { eligCauses: ['low_income'] }, true],
    ['age band outside the bounds', {}, { ageMin: 60 }, false],
    ['age band overlapping the bounds', {}, { ageMin: 50, ageMax: 51 }, true],
  ])('%s', (_name, needPatch, offerPatch, expected) => {
    expect(matches(doc(needPatch), pushed(offerRow(offerPatch)))).toBe(expected);
  });

  it('age bands overlapping an age range', () => {
    expect(ageBandsWithin(null, null)).toBeNull();
    expect(ageBandsWithin(16, 40)).toEqual(['6_17', '18_34', '35_59']);
    expect(ageBandsWithin(60, null)).toEqual(['60_plus']);
  });

  it('keeps the state and item pushed even without scope or eligibility', () => {
    expect(pushed(offerRow({ scopeRegionPrefix: null, online: true }))).toEqual(
      F.and(F.eq('state', 'open'), F.in('item', ['training_welder']), F.in('mode', ['online', 'any'])),
    );
  });
});

describe('pushed filters are never stronger than the rule (random pairs)', () => {
  /** A small deterministic generator (mulberry32), so a failure reproduces. */
  function rng(seed: number) {
    return () => {
      seed |= 0;
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const some = <T>(r: () => number, xs: readonly T[]): T[] => xs.filter(() => r() < 0.3);

  it('4000 pairs: every pair the rule admits passes both directions’ engine filters', () => {
    const r = rng(20261206);
    let admitted = 0;
    for (let i = 0; i < 4000; i += 1) {
      const n = needRow({
        preferredMode: pick(r, ['any', 'onsite', 'online'] as const),
        regionCode: pick(r, ['330106', '330102', '330203', '440106']),
        archiveStatus: pick(r, ['active', 'publicizing'] as const),
        archiveCategory: pick(r, ['dibao', 'marginal', 'accident'] as const),
        archiveCauses: some(r, ['illness', 'schooling', 'low_income', 'disability'] as const),
        employmentStatus: pick(r, ['laid_off', 'employed', 'retired'] as const),
        headBirthDate: pick(r, ['1950-01-01', '1974-06-01', '2000-12-31', '2015-03-03']),
        perCapitaIncomeFen: Math.floor(r() * 200_000),
      });
      const line = r() < 0.1 ? null : 100_000 + Math.floor(r() * 50_000);
      const o = offerRow({
        online: r() < 0.3,
        scopeRegionPrefix: pick(r, [null, '33', '3301', '330106', '44']),
        scopeOrgUnitId: pick(r, [null, 'xh', 'hz', 'gz']),
        eligCategories: some(r, ['dibao', 'marginal', 'accident'] as const),
        eligCauses: some(r, ['illness', 'schooling', 'low_income'] as const),
        eligEmployment: some(r, ['laid_off', 'employed'] as const),
        ageMin: pick(r, [null, 18, 40]),
        ageMax: pick(r, [null, 17, 60]),
        incomeFactor: pick(r, [null, '0.50', '1.00', '1.37', '2.00']),
        requiresActiveArchive: r() < 0.5,
      });
      if (o.scopeOrgUnitId === null && o.scopeRegionPrefix === null) o.scopeRegionPrefix = '33';
      const f = needFacts(n, TODAY, line);
      if (hardFilterExclusions(f, offerFacts(o), NO_HISTORY, TODAY).length > 0) continue;
      admitted += 1;
      expect(
        matches(offerSearchDocument(o), offerCandidateFilter({ ...f, itemCode: n.itemCode }, TODAY)),
      ).toBe(true);
      const pushed = needCandidateFilter({
        itemCodes: o.items.map((x) => x.code),
        scopeUnitId: o.scopeOrgUnitId,
        online: o.online,
        scope: { unitId: o.scopeOrgUnitId, regionPrefix: o.scopeRegionPrefix },
        eligibility: offerFacts(o).eligibility,
      });
      expect(matches(needSearchDocument(n, NOW), pushed)).toBe(true);
    }
    expect(admitted).toBeGreaterThan(60);
  });
});
