import {
  idNumberCheckDigit,
  IdNumberInvalidReason,
  isIdNumber,
  makeIdNumber,
  normalizeIdNumber,
  parseIdNumber,
} from './id-number';

/** 2025-06-15 00:30 in China (UTC+8), still 2025-06-14 in UTC. */
const NOW = new Date('2025-06-14T16:30:00Z');
const parse = (value: unknown) => parseIdNumber(value, { now: NOW });

/** Replaces the check character with a wrong one. */
function withWrongCheck(id: string): string {
  const wrong = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

describe('parseIdNumber accepts', () => {
  it.each([
    [
      'the GB 11643-1999 example (北京朝阳, female, X)',
      '11010519491231002X',
      '110105',
      '1949-12-31',
      'female',
    ],
    ['a lowercase x, normalised to X', '11010519491231002x', '110105', '1949-12-31', 'female'],
    ['surrounding spaces', ' 11010519491231002X\t', '110105', '1949-12-31', 'female'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ', '110105', '1949-12-31', 'female'],
    [
      'a synthetic male number',
      makeIdNumber({ regionCode: '440106', birthDate: '1985-07-01', sequence: 123 }),
      '440106',
      '1985-07-01',
      'male',
    ],
    [
      'a synthetic female number',
      makeIdNumber({ regionCode: '320102', birthDate: '1978-11-30', gender: 'female' }),
      '320102',
      '1978-11-30',
      'female',
    ],
    ['Feb 29 of a leap year', makeIdNumber({ birthDate: '2000-02-29' }), '110101', '2000-02-29', 'male'],
    [
      'Feb 29 of another leap year',
      makeIdNumber({ birthDate: '2024-02-29' }),
      '110101',
      '2024-02-29',
      'male',
    ],
    [
      'the earliest birth date, 1900-01-01',
      makeIdNumber({ birthDate: '1900-01-01' }),
      '110101',
      '1900-01-01',
      'male',
    ],
    [
      'born today in China (already tomorrow vs UTC)',
      makeIdNumber({ birthDate: '2025-06-15' }),
      '110101',
      '2025-06-15',
      'male',
    ],
    [
      'a Hong Kong resident permit number (81)',
      makeIdNumber({ regionCode: '810000' }),
      '810000',
      '1990-03-07',
      'male',
    ],
    [
      'a Taiwan resident permit number (83)',
      makeIdNumber({ regionCode: '830000' }),
      '830000',
      '1990-03-07',
      'male',
    ],
    [
      'the highest province code (新疆 65)',
      makeIdNumber({ regionCode: '650102' }),
      '650102',
      '1990-03-07',
      'male',
    ],
  ])('%s', (_case, input, regionCode, birthDate, gender) => {
    expect(parse(input)).toEqual({
      ok: true,
      idNumber: normalizeIdNumber(input),
      regionCode,
      birthDate,
      gender,
    });
  });
});

describe('parseIdNumber rejects', () => {
  it.each([
    ['a wrong check digit', withWrongCheck(makeIdNumber()), 'checksum'],
    ['the brief’s example 110101199003071234 (check should be 3)', '110101199003071234', 'checksum'],
    ['X where a digit is due', `${makeIdNumber().slice(0, 17)}X`, 'checksum'],
    ['17 digits', makeIdNumber().slice(0, 17), 'format'],
    ['19 digits', `${makeIdNumber()}0`, 'format'],
    ['a 15-digit legacy number', '110101900307451', 'format'],
    ['X not in last place', '1101011990030745X4', 'format'],
    ['a letter other than X', '11010119900307451Y', 'format'],
    ['dashes inside', '110101-19900307-4514', 'format'],
    ['the empty string', '', 'format'],
    ['a number instead of a string', 12345, 'format'],
    ['null', null, 'format'],
    ['undefined', undefined, 'format'],
    ['province code 99', makeIdNumber({ regionCode: '990101' }), 'region'],
    ['province code 00', makeIdNumber({ regionCode: '000000' }), 'region'],
    ['province code 10', makeIdNumber({ regionCode: '100101' }), 'region'],
    ['province code 72', makeIdNumber({ regionCode: '720000' }), 'region'],
    ['Feb 29 of a non-leap year', makeIdNumber({ birthDate: '1999-02-29' }), 'birth_date'],
    ['Feb 29 of 1900 (century, not leap)', makeIdNumber({ birthDate: '1900-02-29' }), 'birth_date'],
    ['Feb 30', makeIdNumber({ birthDate: '2000-02-30' }), 'birth_date'],
    ['April 31', makeIdNumber({ birthDate: '1990-04-31' }), 'birth_date'],
    ['month 13', makeIdNumber({ birthDate: '1990-13-01' }), 'birth_date'],
    ['month 00', makeIdNumber({ birthDate: '1990-00-10' }), 'birth_date'],
    ['day 00', makeIdNumber({ birthDate: '1990-01-00' }), 'birth_date'],
    ['born tomorrow in China', makeIdNumber({ birthDate: '2025-06-16' }), 'birth_date'],
    ['born next year', makeIdNumber({ birthDate: '2026-01-01' }), 'birth_date'],
    ['born before 1900', makeIdNumber({ birthDate: '1899-12-31' }), 'birth_date'],
    ['the GB 11643-1999 example born 1880 (valid check digit)', '440524188001010014', 'birth_date'],
  ] as Array<[string, unknown, IdNumberInvalidReason]>)('%s → %s', (_case, input, reason) => {
    expect(parse(input)).toEqual({ ok: false, reason });
  });
});

describe('parseIdNumber defaults', () => {
  it('takes "today" from the clock when no `now` is given', () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    expect(parseIdNumber(makeIdNumber({ birthDate: `${nextYear}-01-01` }))).toEqual({
      ok: false,
      reason: 'birth_date',
    });
  });
});

describe('gender from the 17th digit', () => {
  it.each([
    [1, 'male'],
    [2, 'female'],
    [9, 'male'],
    [10, 'female'],
    [0, 'female'],
    [999, 'male'],
  ])('sequence %s → %s', (sequence, gender) => {
    expect(parse(makeIdNumber({ sequence }))).toMatchObject({ ok: true, gender });
  });
});

describe('isIdNumber', () => {
  it.each([
    ['11010519491231002X', true],
    ['11010519491231002Y', false],
    [withWrongCheck('11010519491231002X'), false],
  ])('%s → %s', (input, expected) => {
    expect(isIdNumber(input, { now: NOW })).toBe(expected);
  });
});

describe('idNumberCheckDigit', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['11010119900307451', '4'],
    ['11010119900307123', '3'],
  ])('%s → %s', (first17, check) => {
    expect(idNumberCheckDigit(first17)).toBe(check);
  });

  it.each([
    ['16 digits', '1101051949123100'],
    ['18 digits', '110105194912310021'],
    ['a letter', '1101051949123100X'],
  ])('throws for %s', (_case, input) => {
    expect(() => idNumberCheckDigit(input)).toThrow(/17 digits/);
  });
});

describe('normalizeIdNumber', () => {
  it.each([
    ['lowercase x', '11010519491231002x', '11010519491231002X'],
    ['inner and outer whitespace', ' 110105 19491231 002X\n', '11010519491231002X'],
    [
      'ideographic space and full-width digits',
      '\u3000１１０１０５１９４９１２３１００２ｘ',
      '11010519491231002X',
    ],
    ['already canonical', '110101199003074514', '110101199003074514'],
  ])('%s', (_case, input, expected) => {
    expect(normalizeIdNumber(input)).toBe(expected);
  });
});

describe('makeIdNumber', () => {
  it('builds the default 110101 / 1990-03-07 / sequence 001 number with its check digit', () => {
    expect(makeIdNumber()).toBe('110101199003070011');
    expect(parse(makeIdNumber())).toMatchObject({ ok: true });
  });

  it.each([
    ['gender female without a sequence uses 002', { gender: 'female' as const }, '11010119900307002'],
    ['sequence padded to 3 digits', { sequence: 7 }, '11010119900307007'],
    [
      'region and birth date placed in order',
      { regionCode: '440106', birthDate: '2001-12-09' },
      '44010620011209001',
    ],
  ])('%s', (_case, input, first17) => {
    const id = makeIdNumber(input);
    expect(id.slice(0, 17)).toBe(first17);
    expect(id[17]).toBe(idNumberCheckDigit(first17));
  });

  it('gives distinct valid numbers for distinct sequences', () => {
    const ids = Array.from({ length: 1000 }, (_, sequence) => makeIdNumber({ sequence }));
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => parse(id).ok)).toBe(true);
  });

  it.each([
    ['a 5-digit region', { regionCode: '11010' }, /regionCode/],
    ['a birth date not in YYYY-MM-DD', { birthDate: '19900307' }, /birthDate/],
    ['a negative sequence', { sequence: -1 }, /sequence/],
    ['a sequence above 999', { sequence: 1000 }, /sequence/],
    ['a fractional sequence', { sequence: 1.5 }, /sequence/],
    ['an even sequence for a man', { sequence: 2, gender: 'male' as const }, /does not encode gender/],
    ['an odd sequence for a woman', { sequence: 3, gender: 'female' as const }, /does not encode gender/],
  ])('throws for %s', (_case, input, message) => {
    expect(() => makeIdNumber(input)).toThrow(message);
  });
});
