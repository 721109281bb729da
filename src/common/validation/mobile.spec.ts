import { isMobile, normalizeMobile, parseMobile } from './mobile';

describe('normalizeMobile', () => {
  it.each([
    ['already canonical', '13812342210', '13812342210'],
    ['spaces between groups', '138 1234 2210', '13812342210'],
    ['dashes between groups', '138-1234-2210', '13812342210'],
    ['+86 prefix with a space', '+86 13812342210', '13812342210'],
    ['+86- prefix', '+86-138-1234-2210', '13812342210'],
    ['86 prefix glued on', '8613812342210', '13812342210'],
    ['0086 prefix', '0086 138 1234 2210', '13812342210'],
    ['full-width digits and dashes', '１３８－１２３４－２２１０', '13812342210'],
    ['surrounding whitespace', ' 13812342210\n', '13812342210'],
    ['86 is kept when the rest is not 11 digits', '86138123422', '86138123422'],
    ['a landline keeps its digits', '010-1234 5678', '01012345678'],
  ])('%s', (_case, input, expected) => {
    expect(normalizeMobile(input)).toBe(expected);
  });
});

describe('parseMobile / isMobile', () => {
  it.each([
    ['13x', '13812342210', '13812342210'],
    ['14x', '14512342210', '14512342210'],
    ['15x', '15012342210', '15012342210'],
    ['16x', '16612342210', '16612342210'],
    ['17x', '17712342210', '17712342210'],
    ['18x', '18612342210', '18612342210'],
    ['19x', '19912342210', '19912342210'],
    ['with +86 and separators', '+86 138-1234-2210', '13812342210'],
  ])('accepts %s', (_case, input, normalized) => {
    expect(parseMobile(input)).toBe(normalized);
    expect(isMobile(input)).toBe(true);
  });

  it.each([
    ['starting with 12', '12812342210'],
    ['starting with 10', '10012342210'],
    ['starting with 2', '23812342210'],
    ['10 digits', '1381234221'],
    ['12 digits', '138123422101'],
    ['a letter inside', '1381234221O'],
    ['a Hong Kong +852 number', '+852 13812342210'],
    ['a landline', '010-12345678'],
    ['parentheses around the prefix', '(+86)13812342210'],
    ['the empty string', ''],
    ['a number instead of a string', 13812342210],
    ['null', null],
    ['undefined', undefined],
  ])('rejects %s', (_case, input) => {
    expect(parseMobile(input)).toBeNull();
    expect(isMobile(input)).toBe(false);
  });
});
