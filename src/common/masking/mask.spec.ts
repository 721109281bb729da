import {
  findUnmaskedPersonalData,
  maskAll,
  maskBankAccount,
  maskIdNumber,
  maskName,
  maskPhone,
  passesLuhn,
  UNMASKED_ID_NUMBER_PATTERN,
  UNMASKED_PHONE_PATTERN,
} from './mask';

type Masker = (value: string | null | undefined) => string | null;

describe('maskIdNumber', () => {
  it.each([
    ['18 digits', '110101199003074514', '110***********4514'],
    ['18 with X (DESIGN example)', '11010519491231002X', '110***********002X'],
    ['18 with lowercase x (shown as X)', '11010519491231002x', '110***********002X'],
    ['18 with surrounding spaces', ' 110101199003074514 ', '110***********4514'],
    ['18 in full-width digits', '１１０１０１１９９００３０７４５１４', '110***********4514'],
    ['18 with a wrong checksum (masking does not validate)', '110101199003071234', '110***********1234'],
    ['15-digit legacy number', '110101900307451', '110*********451'],
    ['17 digits (unexpected) → all stars', '11010119900307451', '*****************'],
    ['19 digits (unexpected) → all stars', '1101011990030745140', '*******************'],
    ['letters inside (unexpected) → all stars', '1101011990O3074514', '******************'],
    ['empty string', '', ''],
    ['blank string', '   ', ''],
  ])('%s', (_case, input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
  });
});

describe('maskPhone', () => {
  it.each([
    ['11-digit mobile', '13812342210', '138****2210'],
    ['+86 prefix, spaces and dashes (shown normalised)', '+86 138-1234-2210', '138****2210'],
    ['86 prefix', '8613812342210', '138****2210'],
    ['landline (unexpected) → all stars', '010-12345678', '***********'],
    ['12 digits (unexpected) → all stars', '138123422101', '************'],
    ['starts with 12 (not a mobile) → all stars', '12812342210', '***********'],
    ['two numbers in one field → all stars', '13812342210/13912345678', '***********************'],
    ['empty string', '', ''],
  ])('%s', (_case, input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskBankAccount', () => {
  it.each([
    ['19-digit card', '6222021234567890123', '***************0123'],
    ['16-digit card', '6222021234567890', '************7890'],
    ['grouped with spaces', '6222 0212 3456 7890 123', '***************0123'],
    ['grouped with dashes', '6222-0212-3456-7890', '************7890'],
    ['10-digit account (shortest with last four shown)', '1234567890', '******7890'],
    ['9 digits (too short) → all stars', '123456789', '*********'],
    ['letters inside (unexpected) → all stars', '6222A21234567890', '****************'],
    ['31 digits (too long) → all stars', '1'.repeat(31), '*'.repeat(31)],
    ['empty string', '', ''],
  ])('%s', (_case, input, expected) => {
    expect(maskBankAccount(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each([
    ['three characters', '张小明', '张*明'],
    ['two characters', '张明', '张*'],
    ['four characters (compound surname)', '欧阳小明', '欧**明'],
    ['one character → a single star', '明', '*'],
    ['minority name with a middle dot', '阿依古丽·买买提', '阿******提'],
    ['surrounding spaces trimmed', ' 张小明 ', '张*明'],
    ['astral-plane characters counted once', '𠮷小明', '𠮷*明'],
    ['Latin name', 'Alice Wang', 'A********g'],
    ['empty string', '', ''],
  ])('%s', (_case, input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});

describe('every mask', () => {
  const maskers: Array<[string, Masker]> = [
    ['maskIdNumber', maskIdNumber],
    ['maskPhone', maskPhone],
    ['maskBankAccount', maskBankAccount],
    ['maskName', maskName],
  ];

  it.each(maskers)('%s returns null for null', (_name, mask) => {
    expect(mask(null)).toBeNull();
  });

  it.each(maskers)('%s returns null for undefined', (_name, mask) => {
    expect(mask(undefined)).toBeNull();
  });

  it.each(maskers)(
    '%s never returns an unexpected value unchanged (at most 4 characters shown)',
    (_name, mask) => {
      for (const value of ['x', 'abc', '12345', '备注：无', '110101199003074514 13812342210']) {
        const masked = mask(value) ?? '';
        expect(masked).not.toBe(value);
        expect(masked).toContain('*');
        expect(Array.from(masked.replace(/\*/g, '')).length).toBeLessThanOrEqual(4);
      }
    },
  );
});

describe('maskAll', () => {
  it('replaces every code point by one star', () => {
    expect(maskAll('𠮷a张')).toBe('***');
  });
});

describe('UNMASKED_ID_NUMBER_PATTERN', () => {
  it.each([
    ['a bare number', '110101199003074514', true],
    ['ending in X', '11010519491231002X', true],
    ['ending in lowercase x', '11010519491231002x', true],
    ['inside JSON', '{"idNumber":"110101199003074514"}', true],
    ['inside Chinese text', '身份证号110101199003074514已登记', true],
    ['born in the 2000s', '440106200912310023', true],
    ['with a wrong checksum (still a leak)', '110101199003071234', true],
    ['masked', '110***********4514', false],
    ['17 digits', '11010119900307451', false],
    ['inside a 19-digit bank card', '6222021990030745141', false],
    ['inside a longer digit run', '1110101199003074514', false],
    ['an 18-digit technical id without a date', '123456789012345678', false],
    ['month 13', '110101199013074514', false],
  ])('%s → %s', (_case, text, expected) => {
    expect(UNMASKED_ID_NUMBER_PATTERN.test(text)).toBe(expected);
  });
});

describe('UNMASKED_PHONE_PATTERN', () => {
  it.each([
    ['a bare number', '13812342210', true],
    ['inside JSON', '{"phone":"13812342210"}', true],
    ['inside Chinese text', '联系电话13812342210。', true],
    ['with +86 and separators', '+86 138-1234-2210', true],
    ['with 86 glued on', '8613812342210', true],
    ['3-4-4 with spaces', '138 1234 2210', true],
    ['masked', '138****2210', false],
    ['10 digits', '1381234221', false],
    ['12 digits', '138123422101', false],
    ['starting with 12', '12812342210', false],
    ['a millisecond timestamp', '1712345678901', false],
    ['inside a 19-digit bank card', '6222021381234221099', false],
    ['inside an ID number', '110101199003074514', false],
  ])('%s → %s', (_case, text, expected) => {
    expect(UNMASKED_PHONE_PATTERN.test(text)).toBe(expected);
  });

  it('is not global, so repeated test() calls agree', () => {
    expect(UNMASKED_PHONE_PATTERN.flags).not.toContain('g');
    expect(UNMASKED_ID_NUMBER_PATTERN.flags).not.toContain('g');
  });
});

describe('passesLuhn', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['6222021234567890128', true],
    ['6222021234567890123', false],
    ['0', true],
    ['', false],
    ['12a4', false],
  ])('%s → %s', (digits, expected) => {
    expect(passesLuhn(digits)).toBe(expected);
  });
});

describe('findUnmaskedPersonalData', () => {
  it('finds every leak with its kind and offset, without the value', () => {
    const body = JSON.stringify({
      a: '110101199003074514',
      b: '138****2210',
      c: ['13812342210', '11010519491231002X'],
    });
    const hits = findUnmaskedPersonalData(body);
    expect(hits.map((hit) => hit.kind)).toEqual(['id_number', 'phone', 'id_number']);
    expect(body.slice(hits[1].index, hits[1].index + 11)).toBe('13812342210');
    expect(Object.keys(hits[0]).sort()).toEqual(['index', 'kind']);
  });

  it.each([
    ['a UUID whose groups read like a dashed mobile number', '{"id":"3f2a9c1e-a138-1234-5678-9abcdef01234"}'],
    [
      'a hash with an 11-digit run',
      '{"hash":"ab13812342210cd0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4"}',
    ],
    ['an archive number whose 16 digits pass the Luhn check', '{"archiveNo":"330106-2026-123455"}'],
    ['a decimal whose 16 fraction digits pass the Luhn check', '{"total":0.4111111111111111}'],
  ])('ignores system identifiers: %s', (_case, body) => {
    expect(findUnmaskedPersonalData(body)).toEqual([]);
  });

  it('still finds a number next to a UUID, at its real offset', () => {
    const body = '{"id":"3f2a9c1e-a138-1234-5678-9abcdef01234","phone":"13812342210"}';
    const [hit] = findUnmaskedPersonalData(body);
    expect(body.slice(hit!.index, hit!.index + 11)).toBe('13812342210');
  });

  it.each([
    ['a 19-digit card', '{"bankAccount":"6222021234567890128"}'],
    ['a 16-digit card', '{"bankAccount":"4111111111111111"}'],
    ['a card grouped with spaces', '卡号 6222 0212 3456 7890 128。'],
    ['a card grouped with dashes', '{"a":"4111-1111-1111-1111"}'],
    ['a card with an archive number’s digits, not grouped as one', '{"a":"3301062026123455"}'],
  ])('finds a bank card number passing the Luhn check: %s', (_case, body) => {
    expect(findUnmaskedPersonalData(body).map((hit) => hit.kind)).toEqual(['bank_account']);
  });

  it.each([
    ['a 19-digit run failing the Luhn check', '{"n":"6222021234567890123"}'],
    ['15 digits passing the Luhn check', '{"n":"411111111111116"}'],
    ['20 digits passing the Luhn check', '{"n":"41111111111111111113"}'],
    ['a masked card', '{"bankAccount":"***************0128"}'],
  ])('ignores what is not a card number: %s', (_case, body) => {
    expect(findUnmaskedPersonalData(body)).toEqual([]);
  });

  it('reports an ID number that also passes the Luhn check once, as an ID number', () => {
    const id = '110101199003074510';
    expect(passesLuhn(id)).toBe(true);
    expect(findUnmaskedPersonalData(`"${id}"`).map((hit) => hit.kind)).toEqual(['id_number']);
  });

  it('returns nothing for a fully masked body', () => {
    const body = JSON.stringify({
      idNumber: maskIdNumber('110101199003074514'),
      phone: maskPhone('13812342210'),
    });
    expect(findUnmaskedPersonalData(body)).toEqual([]);
  });
});
