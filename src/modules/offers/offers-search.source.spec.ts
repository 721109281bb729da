import { findUnmaskedPersonalData } from '../../common/masking';
import { OFFERS_INDEX_DEFINITION, offerSearchDocument, withoutDigitRuns } from './offers-search.source';
import type { OfferRow } from './offers.repository';

const ID_NUMBER = '330106196805120017';
const PHONE = '13812342210';
const CONTACT = '欧阳联络';

/** A row as the repository returns it, with personal data in every place a careless builder could copy it from. */
function row(overrides: Partial<OfferRow> = {}): OfferRow {
  return {
    id: '5b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
    partnerId: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    title: `电焊工培训（报名${PHONE}）`,
    description: `联系人${CONTACT}，身份证${ID_NUMBER}，卡号6222021234567890123，地址文三路88号`,
    kind: 'slots',
    capacity: 20,
    amountPerBeneficiaryFen: null,
    declaredValueFen: 80_000,
    reserved: 3,
    used: 2,
    remaining: 15,
    eligCategories: ['dibao'],
    eligCauses: ['illness', 'unemployment'],
    eligEmployment: ['laid_off'],
    ageMin: 18,
    ageMax: 55,
    incomeFactor: '1.50',
    requiresActiveArchive: true,
    scopeOrgUnitId: 'c3',
    scopeRegionPrefix: '3301',
    online: false,
    regionCode: '330106',
    address: `文三路88号，${CONTACT}收`,
    validFrom: '2026-03-01',
    validUntil: '2026-06-30',
    perHouseholdLimit: 1,
    cooldownDays: 365,
    contactName: CONTACT,
    contactPhoneCiphertext: `v1.key.${PHONE}`,
    state: 'published',
    closedReason: null,
    returnReasons: [],
    createdBy: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    submittedBy: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    publishedAt: new Date('2026-03-01T02:00:00Z'),
    stateChangedAt: new Date('2026-03-01T02:00:00Z'),
    createdAt: new Date('2026-02-20T02:00:00Z'),
    updatedAt: new Date('2026-03-01T02:00:00Z'),
    version: 4,
    items: [
      { code: 'training_welder', name: '焊工技能培训', category: 'training', unit: 'slots' },
      { code: 'job_fair', name: '招聘会岗位', category: 'employment', unit: 'slots' },
    ],
    partnerName: `${CONTACT}爱心企业`,
    partnerKind: 'company',
    partnerStatus: 'approved',
    partnerUnitId: 'c3',
    partnerUnitPath: '/a1/b2/c3/',
    scopeUnitPath: '/a1/b2/c3/',
    scopeUnitName: '西湖区总工会',
    ...overrides,
  };
}

describe('the offers search document', () => {
  it('carries only the facts the index declares', () => {
    const document = offerSearchDocument(row());
    expect(document).toEqual({
      id: '5b2c7d1e-3f4a-4b5c-8d6e-7f8091a2b3c4',
      title: '电焊工培训（报名＊＊＊）',
      description: expect.any(String),
      items: ['training_welder', 'job_fair'],
      itemNames: ['焊工技能培训', '招聘会岗位'],
      categories: ['training', 'employment'],
      categoryNames: expect.any(Array),
      kind: 'slots',
      state: 'published',
      hasRemaining: true,
      units: ['a1', 'b2', 'c3'],
      scopeUnit: ['c3'],
      partnerUnits: ['a1', 'b2', 'c3'],
      regions: ['33', '3301', '330106'],
      scopeRegion: ['3301'],
      hasScopeUnit: true,
      hasScopeRegion: true,
      online: false,
      validFrom: Date.parse('2026-03-01T00:00:00Z') / 86_400_000,
      validUntil: Date.parse('2026-06-30T00:00:00Z') / 86_400_000,
      eligCategories: ['dibao'],
      eligCauses: ['illness', 'unemployment'],
      eligEmployment: ['laid_off'],
      ageMin: 18,
      ageMax: 55,
      incomeFactor: 1.5,
      requiresActiveArchive: true,
      partnerActive: true,
      unionProgramme: false,
      updatedAt: Date.parse('2026-03-01T02:00:00Z'),
    });
    for (const field of Object.keys(document))
      if (field !== 'id')
        expect(
          Object.keys(OFFERS_INDEX_DEFINITION.filterableFields).includes(field) ||
            OFFERS_INDEX_DEFINITION.searchableFields.includes(field),
        ).toBe(true);
  });

  it('no phone, ID number, bank card, contact name or partner name reaches it', () => {
    const text = JSON.stringify(offerSearchDocument(row()));
    expect(findUnmaskedPersonalData(text)).toEqual([]);
    for (const secret of [PHONE, ID_NUMBER, '6222021234567890123', '2210', CONTACT, '爱心企业', 'v1.key'])
      expect(text).not.toContain(secret);
  });

  it('nothing remaining, a suspended partner, a union programme, online with no scope unit', () => {
    expect(
      offerSearchDocument(
        row({
          remaining: 0,
          used: 17,
          partnerStatus: 'suspended',
          partnerKind: 'union',
          online: true,
          scopeOrgUnitId: null,
          scopeUnitPath: null,
          scopeRegionPrefix: null,
          ageMin: null,
          ageMax: null,
          incomeFactor: null,
        }),
      ),
    ).toMatchObject({
      hasRemaining: false,
      partnerActive: false,
      unionProgramme: true,
      online: true,
      units: [],
      scopeRegion: [],
      hasScopeUnit: false,
      hasScopeRegion: false,
      ageMin: 0,
      ageMax: 200,
      incomeFactor: 0,
    });
  });

  it.each([
    ['a mobile', `请拨打${PHONE}`, '请拨打＊＊＊'],
    ['a dashed mobile', '请拨打138-1234-2210', '请拨打＊＊＊'],
    ['an ID number ending in X', '身份证33010619680512001X', '身份证＊＊＊'],
    ['a year and a count', '2026年招收20人', '2026年招收20人'],
  ])('partner text: %s', (_name, text, expected) => {
    expect(withoutDigitRuns(text)).toBe(expected);
  });
});
