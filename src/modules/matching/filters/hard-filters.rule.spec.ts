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

const need = (patch: Partial<NeedFacts> = {}, archive: Partial<NeedFacts['archive']> = {}): NeedFacts => ({
  menuItemId: 'item-welder',
  category: 'training',
  acceptsSameCategory: false,
  mode: 'any',
  regionCode: '330106',
  unitPath: ['national', 'zhejiang', 'hangzhou', 'xihu', 'xihu-gr-1'],
  beneficiaryAge: 52,
  ...patch,
  archive: {
    active: true,
    category: 'dibao',
    causes: ['illness', 'low_income'],
    employmentStatus: 'laid_off',
    perCapitaIncomeFen: 100_000,
    dibaoLineFen: 120_000,
    ...archive,
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
  scope: { unitIds: ['xihu'], regionPrefixes: [] },
  perHouseholdLimit: 1,
  cooldownDays: 365,
  ...patch,
  eligibility: {
    requiresActiveArchive: true,
    archiveCategories: ['dibao', 'marginal'],
    causes: [],
    minAge: 18,
    maxAge: 60,
    employmentStatuses: [],
    incomeMultiple: 1.5,
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
    ['archive_active', need({}, { active: false }), offer(), history()],
    ['archive_category', need({}, { category: 'accident' }), offer(), history()],
    ['cause', need(), offer({}, { causes: ['disability', 'schooling'] }), history()],
    ['beneficiary_age', need({ beneficiaryAge: 17 }), offer(), history()],
    ['beneficiary_age', need({ beneficiaryAge: 61 }), offer(), history()],
    ['employment', need(), offer({}, { employmentStatuses: ['employed', 'migrant_worker'] }), history()],
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
    ['the age bounds themselves', need({ beneficiaryAge: 60 }), []],
  ] as const)('keeps the boundary: %s', (_, n, expected) => {
    expect(hardFilterExclusions(n, offer(), history(), TODAY)).toEqual(expected);
    expect(hardFilterExclusions(n, offer({ validFrom: TODAY, validUntil: TODAY }), history(), TODAY)).toEqual(
      expected,
    );
  });

  it('compares the income multiple in integers (1.15 × 100000 is 115000, not 114999.99…)', () => {
    const n = need({}, { perCapitaIncomeFen: 115_000, dibaoLineFen: 100_000 });
    expect(hardFilterExclusions(n, offer({}, { incomeMultiple: 1.15 }), history(), TODAY)).toEqual([]);
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

describe('scopeCovers', () => {
  const path = ['national', 'zhejiang', 'hangzhou', 'xihu', 'xihu-gr-1'];
  it.each([
    ['a subtree above the unit', false, ['hangzhou'], [], '330106', true],
    ['another subtree', false, ['ningbo'], [], '330106', false],
    ['a region prefix of the need', false, [], ['3301'], '330106', true],
    ['another region', false, [], ['3302'], '330106', false],
    ['either subtree or region', false, ['ningbo'], ['330106'], '330106', true],
    ['online with no subtree: anywhere', true, [], ['3302'], '330106', true],
    ['online limited to another subtree', true, ['ningbo'], [], '330106', false],
    ['online ignores a matching region outside its subtree', true, ['ningbo'], ['3301'], '330106', false],
    ['nothing set, onsite: nowhere', false, [], [], '330106', false],
  ] as const)('%s', (_, online, unitIds, regionPrefixes, regionCode, expected) => {
    expect(scopeCovers({ online, scope: { unitIds, regionPrefixes } }, { unitPath: path, regionCode })).toBe(
      expected,
    );
  });
});
