import {
  HARD_FILTER_MESSAGES,
  HARD_FILTERS,
  hardFilterExclusions,
  scopeCovers,
  type HardFilter,
  type HistoryFacts,
  type NeedFacts,
  type OfferFacts,
} from './hard-filters.rule';

const TODAY = '2026-12-05';

const need = (
  patch: Partial<NeedFacts> = {},
  household: Partial<NeedFacts['household']> = {},
): NeedFacts => ({
  menuItemId: 'item-welder',
  category: 'training',
  acceptsSameCategory: false,
  mode: 'any',
  regionCode: '330106',
  unitPath: ['national', 'zhejiang', 'hangzhou', 'xihu', 'xihu-gr-1'],
  ...patch,
  household: {
    archiveActive: true,
    category: 'dibao',
    causes: ['illness', 'low_income'],
    employmentStatus: 'laid_off',
    beneficiaryAge: 52,
    perCapitaIncomeFen: 100_000,
    dibaoLineFen: 120_000,
    ...household,
  },
});

const offer = (
  patch: Partial<OfferFacts> = {},
  eligibility: Partial<OfferFacts['eligibility']> = {},
): OfferFacts => ({
  menuItemIds: ['item-welder', 'item-electrician'],
  categories: ['training'],
  state: 'published',
  validFrom: '2026-09-01',
  validUntil: '2027-03-31',
  remaining: 5,
  partnerActive: true,
  online: false,
  scope: { unitId: 'xihu', regionPrefix: null },
  perHouseholdLimit: 1,
  cooldownDays: 365,
  ...patch,
  eligibility: {
    requiresActiveArchive: true,
    categories: ['dibao', 'marginal'],
    causes: [],
    employment: [],
    ageMin: 18,
    ageMax: 60,
    incomeFactor: '1.50',
    ...eligibility,
  },
});

const history = (patch: Partial<HistoryFacts> = {}): HistoryFacts => ({
  householdMatchesOnOffer: 0,
  pairTaken: false,
  lastAidOn: null,
  ...patch,
});

describe('hardFilterExclusions', () => {
  it('lets a pair through that meets every condition', () => {
    expect(hardFilterExclusions(need(), offer(), history(), TODAY)).toEqual([]);
  });

  // One row per filter: the smallest change that makes that filter, and only it, exclude the pair.
  const rows: Array<[HardFilter, NeedFacts, OfferFacts, HistoryFacts]> = [
    ['item', need({ menuItemId: 'item-cook' }), offer(), history()],
    ['offer_state', need(), offer({ state: 'paused' }), history()],
    ['validity', need(), offer({ validFrom: '2026-12-06' }), history()],
    ['validity', need(), offer({ validUntil: '2026-12-04' }), history()],
    ['remaining', need(), offer({ remaining: 0 }), history()],
    ['partner', need(), offer({ partnerActive: false }), history()],
    ['scope', need({ unitPath: ['national', 'zhejiang', 'ningbo', 'yinzhou'] }), offer(), history()],
    ['mode', need({ mode: 'online' }), offer(), history()],
    ['mode', need({ mode: 'onsite' }), offer({ online: true }), history()],
    ['archive_active', need({}, { archiveActive: false }), offer(), history()],
    ['archive_category', need({}, { category: 'accident' }), offer(), history()],
    ['cause', need(), offer({}, { causes: ['disability', 'schooling'] }), history()],
    ['beneficiary_age', need({}, { beneficiaryAge: 17 }), offer(), history()],
    ['beneficiary_age', need({}, { beneficiaryAge: 61 }), offer(), history()],
    ['employment', need(), offer({}, { employment: ['employed', 'migrant_worker'] }), history()],
    ['income', need({}, { perCapitaIncomeFen: 180_001 }), offer(), history()],
    ['income', need({}, { dibaoLineFen: null }), offer(), history()],
    ['household_limit', need(), offer(), history({ householdMatchesOnOffer: 1 })],
    ['pair', need(), offer(), history({ pairTaken: true })],
    ['cooldown', need(), offer(), history({ lastAidOn: '2026-01-01' })],
  ];
  it.each(rows)('excludes by %s', (filter, n, o, h) => {
    expect(hardFilterExclusions(n, o, h, TODAY)).toEqual([filter]);
  });

  it('covers every filter with a row', () => {
    expect(new Set(rows.map(([f]) => f))).toEqual(new Set(HARD_FILTERS));
    for (const f of HARD_FILTERS) expect(HARD_FILTER_MESSAGES[f]).toMatch(/[\u4e00-\u9fa5]/);
  });

  it.each([
    [
      'another item of the category, accepted by the worker',
      need({ menuItemId: 'item-cook', acceptsSameCategory: true }),
      [],
    ],
    ['the first and last days of the window', need(), []],
    ['income exactly at the multiple', need({}, { perCapitaIncomeFen: 180_000 }), []],
    ['the age bounds themselves', need({}, { beneficiaryAge: 60 }), []],
  ] as const)('keeps the boundary: %s', (_, n, expected) => {
    expect(hardFilterExclusions(n, offer(), history(), TODAY)).toEqual(expected);
    expect(hardFilterExclusions(n, offer({ validFrom: TODAY, validUntil: TODAY }), history(), TODAY)).toEqual(
      expected,
    );
  });

  it('compares the income multiple in integers (1.15 × 100000 is 115000, not 114999.99…)', () => {
    const n = need({}, { perCapitaIncomeFen: 115_000, dibaoLineFen: 100_000 });
    expect(hardFilterExclusions(n, offer({}, { incomeFactor: '1.15' }), history(), TODAY)).toEqual([]);
  });

  it('ends the cooldown on its last day', () => {
    expect(
      hardFilterExclusions(need(), offer({ cooldownDays: 30 }), history({ lastAidOn: '2026-11-05' }), TODAY),
    ).toEqual([]);
    expect(
      hardFilterExclusions(need(), offer({ cooldownDays: 30 }), history({ lastAidOn: '2026-11-06' }), TODAY),
    ).toEqual(['cooldown']);
  });

  it('lists every filter a pair fails, in order', () => {
    expect(
      hardFilterExclusions(
        need({ mode: 'online' }),
        offer({ state: 'closed', remaining: 0 }),
        history({ pairTaken: true }),
        TODAY,
      ),
    ).toEqual(['offer_state', 'remaining', 'mode', 'pair']);
  });
});

describe('scopeCovers (as the offers module reads scope for workers)', () => {
  const path = ['national', 'zhejiang', 'hangzhou', 'xihu', 'xihu-gr-1'];
  it.each([
    ['a subtree above the unit', false, 'hangzhou', null, true],
    ['another subtree', false, 'ningbo', null, false],
    ['a region prefix of the need', false, null, '3301', true],
    ['another region', false, null, '3302', false],
    ['subtree and region both covering', false, 'hangzhou', '330106', true],
    ['subtree covering, region not: both are needed', false, 'hangzhou', '3302', false],
    ['online ignores the region', true, null, '3302', true],
    ['online limited to another subtree', true, 'ningbo', null, false],
    ['online in its subtree, whatever the region', true, 'hangzhou', '3302', true],
  ] as const)('%s', (_, online, unitId, regionPrefix, expected) => {
    expect(
      scopeCovers({ online, scope: { unitId, regionPrefix } }, { unitPath: path, regionCode: '330106' }),
    ).toBe(expected);
  });
});
