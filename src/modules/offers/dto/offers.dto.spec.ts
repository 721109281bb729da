import { validateAs } from '../../../common/http/validation.pipe';
import { CreateOfferDto, UpdateOfferDto } from './offers.dto';

const valid = {
  kind: 'slots',
  itemCodes: ['welder_training'],
  title: '电焊工培训',
  capacity: 20,
  regionCode: '330106',
  validFrom: '2026-03-01',
  validUntil: '2026-12-31',
  contactName: '王老师',
  contactPhone: '13800002210',
};
const errors = (cls: new () => object, plain: Record<string, unknown>) =>
  validateAs(cls, plain).errors.map((e) => e.property);

describe('offer DTOs', () => {
  it('a complete creation is valid', () => {
    expect(errors(CreateOfferDto, valid)).toEqual([]);
  });

  it.each([
    'itemCodes',
    'title',
    'capacity',
    'regionCode',
    'validFrom',
    'validUntil',
    'contactName',
    'contactPhone',
  ])('creation requires %s', (field) => {
    const { [field]: _left, ...rest } = valid as Record<string, unknown>;
    expect(errors(CreateOfferDto, rest)).toEqual([field]);
  });

  it('an edit requires only the version', () => {
    expect(errors(UpdateOfferDto, { version: 1 })).toEqual([]);
    expect(errors(UpdateOfferDto, { capacity: 30 })).toEqual(['version']);
  });

  it.each([
    ['no items', { itemCodes: [] }, 'itemCodes'],
    ['a date that does not exist', { validUntil: '2026-02-30' }, 'validUntil'],
    ['a bad mobile', { contactPhone: '12345' }, 'contactPhone'],
    ['a region prefix of 3 digits', { scopeRegionPrefix: '330' }, 'scopeRegionPrefix'],
    ['an unknown cause', { eligCauses: ['laziness'] }, 'eligCauses'],
    ['an income factor of 3 decimals', { incomeFactor: 1.234 }, 'incomeFactor'],
    ['age 121', { ageMax: 121 }, 'ageMax'],
    ['null title', { title: null }, 'title'],
    ['an unknown kind', { kind: 'services' }, 'kind'],
  ])('refuses %s', (_name, patch, field) => {
    expect(errors(CreateOfferDto, { ...valid, ...patch })).toEqual([field]);
  });
});
