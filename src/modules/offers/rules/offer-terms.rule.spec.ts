import { isGrowthOnly, OfferTerms, offerTermsProblems } from './offer-terms.rule';

const TODAY = '2026-03-02';
const base: OfferTerms = {
  kind: 'slots',
  items: [{ code: 'welder_training', unit: 'slots' }],
  capacity: 20,
  amountPerBeneficiaryFen: null,
  budgetFen: null,
  reserved: 0,
  used: 0,
  ageMin: null,
  ageMax: null,
  validFrom: '2026-03-01',
  validUntil: '2026-12-31',
};
const cash: OfferTerms = {
  ...base,
  kind: 'cash',
  items: [{ code: 'warmth_cash', unit: 'yuan' }],
  capacity: 100,
  amountPerBeneficiaryFen: 50_000,
  budgetFen: 5_000_000,
};

describe('offer terms', () => {
  // prettier-ignore
  it.each([
    ['a valid slots offer', base, []],
    ['a valid cash offer', cash, []],
    ['cash with the budget left out (capacity alone)', { ...cash, budgetFen: null }, []],
    ['goods for a slots item', { ...base, kind: 'goods' }, [{ code: 'kind_mismatch', items: ['welder_training'] }]],
    ['cash for a slots item', { ...cash, items: base.items }, [{ code: 'kind_mismatch', items: ['welder_training'] }]],
    ['cash without an amount', { ...cash, amountPerBeneficiaryFen: null }, [{ code: 'cash_terms', reason: 'amount_required' }]],
    ['cash whose budget is not capacity × amount', { ...cash, budgetFen: 5_000_001 }, [{ code: 'cash_terms', reason: 'budget_not_multiple' }]],
    ['slots with an amount', { ...base, amountPerBeneficiaryFen: 100 }, [{ code: 'cash_terms', reason: 'amount_not_allowed' }]],
    ['slots with a budget', { ...base, budgetFen: 100 }, [{ code: 'cash_terms', reason: 'amount_not_allowed' }]],
    ['capacity below reserved + used', { ...base, capacity: 4, reserved: 3, used: 2 }, [{ code: 'capacity_below_committed', committed: 5 }]],
    ['capacity equal to reserved + used', { ...base, capacity: 5, reserved: 3, used: 2 }, []],
    ['age 60 to 18', { ...base, ageMin: 60, ageMax: 18 }, [{ code: 'age_range', reason: 'order' }]],
    ['age 18 to 18', { ...base, ageMin: 18, ageMax: 18 }, []],
    ['age from 16 only', { ...base, ageMin: 16 }, []],
    ['ends before it starts', { ...base, validUntil: '2026-02-28' }, [{ code: 'validity', reason: 'order' }]],
    ['one day', { ...base, validFrom: TODAY, validUntil: TODAY }, []],
    ['731 days', { ...base, validFrom: '2026-03-01', validUntil: '2028-03-01' }, []],
    ['732 days', { ...base, validFrom: '2026-03-01', validUntil: '2028-03-02' }, [{ code: 'validity', reason: 'too_long' }]],
    ['ended yesterday', { ...base, validFrom: '2026-01-01', validUntil: '2026-03-01' }, [{ code: 'validity', reason: 'ended' }]],
  ] as const)('%s', (_name, terms, problems) => {
    expect(offerTermsProblems(terms as OfferTerms, TODAY)).toEqual(problems);
  });
});

describe('growth-only edits of a live offer (no review)', () => {
  const before = { capacity: 20, validUntil: '2026-12-31' };
  // prettier-ignore
  it.each([
    ['more capacity', ['capacity'], { capacity: 30, validUntil: '2026-12-31' }, true],
    ['a later end', ['validUntil'], { capacity: 20, validUntil: '2027-06-30' }, true],
    ['both', ['capacity', 'validUntil'], { capacity: 21, validUntil: '2027-01-01' }, true],
    ['less capacity', ['capacity'], { capacity: 19, validUntil: '2026-12-31' }, false],
    ['an earlier end', ['validUntil'], { capacity: 20, validUntil: '2026-12-30' }, false],
    ['a new title', ['title'], before, false],
    ['more capacity and a new title', ['capacity', 'title'], { capacity: 30, validUntil: '2026-12-31' }, false],
    ['nothing', [], before, true],
  ] as const)('%s → %s', (_name, changed, after, growth) => {
    expect(isGrowthOnly(new Set(changed), before, after)).toBe(growth);
  });
});
