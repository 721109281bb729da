import { HouseholdFacts, OfferEligibility, offerEligibilityFailures } from './offer-eligibility.rule';

const open: OfferEligibility = {
  categories: [],
  causes: [],
  employment: [],
  ageMin: null,
  ageMax: null,
  incomeFactor: null,
  requiresActiveArchive: true,
};
const household: HouseholdFacts = {
  archiveActive: true,
  category: 'dibao',
  causes: ['illness', 'low_income'],
  employmentStatus: 'laid_off',
  beneficiaryAge: 45,
  perCapitaIncomeFen: 90_000,
  dibaoLineFen: 100_000,
};

describe('offer eligibility', () => {
  // prettier-ignore
  it.each([
    ['an offer open to all, an active household',    {},                                             {},                                  []],
    ['an archive not yet active',                    {},                                             { archiveActive: false },            ['active_archive']],
    ['no active archive needed (relief)',            { requiresActiveArchive: false },               { archiveActive: false },            []],
    ['its category listed',                          { categories: ['dibao', 'marginal'] },          {},                                  []],
    ['its category not listed',                      { categories: ['marginal'] },                   {},                                  ['category']],
    ['one of its causes listed',                     { causes: ['illness', 'disaster'] },            {},                                  []],
    ['none of its causes listed',                    { causes: ['schooling'] },                      {},                                  ['cause']],
    ['its employment status listed',                 { employment: ['laid_off'] },                   {},                                  []],
    ['its employment status not listed',             { employment: ['employed', 'retired'] },        {},                                  ['employment']],
    ['age at the lower bound',                       { ageMin: 45 },                                 {},                                  []],
    ['age one below the lower bound',                { ageMin: 46 },                                 {},                                  ['age']],
    ['age at the upper bound',                       { ageMax: 45 },                                 {},                                  []],
    ['age one above the upper bound',                { ageMax: 44 },                                 {},                                  ['age']],
    ['income under k × line',                        { incomeFactor: '1.00' },                       {},                                  []],
    ['income exactly k × line (k = 1.5)',            { incomeFactor: '1.50' },                       { perCapitaIncomeFen: 150_000 },     []],
    ['income one fen above k × line',                { incomeFactor: '1.50' },                       { perCapitaIncomeFen: 150_001 },     ['income']],
    ['income unknown',                               { incomeFactor: '2.00' },                       { perCapitaIncomeFen: null },        ['income']],
    ['no 低保 line for the region',                  { incomeFactor: '2.00' },                       { dibaoLineFen: null },              ['income']],
    ['income unknown, no income bound',              {},                                             { perCapitaIncomeFen: null },        []],
    ['every criterion failed, in order',
      { categories: ['accident'], causes: ['disaster'], employment: ['employed'], ageMin: 60, incomeFactor: '0.50' },
      { archiveActive: false },
      ['active_archive', 'category', 'cause', 'employment', 'age', 'income']],
  ] as const)('%s', (_name, offer, facts, failed) => {
    expect(
      offerEligibilityFailures({ ...open, ...(offer as Partial<OfferEligibility>) }, { ...household, ...(facts as Partial<HouseholdFacts>) }),
    ).toEqual(failed);
  });
});
