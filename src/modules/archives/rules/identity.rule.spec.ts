import { makeIdNumber } from '../../../common/validation';
import { identityViolations, type IdentityMember } from './identity.rule';
import { ageOn, chinaDate } from './rule-violation';

const NOW = new Date('2026-11-23T04:00:00Z');
const HEAD = makeIdNumber({ regionCode: '330106', birthDate: '1968-05-12', gender: 'male', sequence: 31 });

/** The same number with a wrong check character. */
function badChecksum(id: string): string {
  const last = id[17];
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

function member(
  overrides: Partial<IdentityMember> & { birthDate?: string; gender?: 'male' | 'female' } = {},
): IdentityMember {
  const { birthDate = '1970-02-03', gender = 'female', ...rest } = overrides;
  return {
    idNumber: makeIdNumber({
      regionCode: '330106',
      birthDate,
      gender,
      sequence: gender === 'female' ? 42 : 43,
    }),
    relation: 'spouse',
    schoolingStage: 'none',
    ...rest,
  };
}

function codes(input: Parameters<typeof identityViolations>[0]): string[] {
  return identityViolations(input).map((v) => `${v.field}:${v.code}`);
}

describe('identityViolations — ID numbers', () => {
  it.each([
    { name: 'valid 18-digit number', id: HEAD, expected: [] },
    { name: 'valid with X check character', id: findWithX(), expected: [] },
    { name: 'lower-case x is normalised', id: findWithX().toLowerCase(), expected: [] },
    {
      name: 'wrong check character',
      id: badChecksum(HEAD),
      expected: ['head.idNumber:ID_NUMBER_INVALID_CHECKSUM'],
    },
    { name: '17 digits', id: HEAD.slice(0, 17), expected: ['head.idNumber:ID_NUMBER_INVALID_FORMAT'] },
    { name: 'legacy 15 digits', id: '330106680512311', expected: ['head.idNumber:ID_NUMBER_INVALID_FORMAT'] },
    {
      name: 'unknown province 99',
      id: makeIdNumber({ regionCode: '990101', birthDate: '1968-05-12' }),
      expected: ['head.idNumber:ID_NUMBER_INVALID_REGION'],
    },
    {
      name: 'impossible date 02-30',
      id: makeIdNumber({ regionCode: '330106', birthDate: '1968-02-30' }),
      expected: ['head.idNumber:ID_NUMBER_INVALID_BIRTH_DATE'],
    },
    {
      name: 'birth date in the future',
      id: makeIdNumber({ regionCode: '330106', birthDate: '2027-01-01' }),
      expected: ['head.idNumber:ID_NUMBER_INVALID_BIRTH_DATE'],
    },
  ])('$name', ({ id, expected }) => {
    expect(codes({ head: { idNumber: id }, members: [], now: NOW })).toEqual(expected);
  });

  it('reports a bad member number with the member path', () => {
    const bad = { ...member(), idNumber: badChecksum(member().idNumber) };
    expect(
      codes({
        head: { idNumber: HEAD },
        members: [member({ relation: 'parent', birthDate: '1940-01-01' }), bad],
        now: NOW,
      }),
    ).toEqual(['members.1.idNumber:ID_NUMBER_INVALID_CHECKSUM']);
  });
});

describe('identityViolations — stated facts against the ID number', () => {
  it.each([
    { name: 'stated gender agrees', head: { statedGender: 'male' as const }, expected: [] },
    {
      name: 'stated gender disagrees',
      head: { statedGender: 'female' as const },
      expected: ['head.gender:GENDER_MISMATCH'],
    },
    { name: 'stated birth date agrees', head: { statedBirthDate: '1968-05-12' }, expected: [] },
    {
      name: 'stated birth date disagrees',
      head: { statedBirthDate: '1968-05-21' },
      expected: ['head.birthDate:BIRTH_DATE_MISMATCH'],
    },
    { name: 'stated age agrees (58 on 2026-11-23)', head: { statedAge: 58 }, expected: [] },
    { name: 'stated age disagrees', head: { statedAge: 57 }, expected: ['head.age:AGE_MISMATCH'] },
  ])('$name', ({ head, expected }) => {
    expect(codes({ head: { idNumber: HEAD, ...head }, members: [], now: NOW })).toEqual(expected);
  });

  it('checks a member’s stated gender too', () => {
    expect(
      codes({ head: { idNumber: HEAD }, members: [member({ statedGender: 'male' })], now: NOW }),
    ).toEqual(['members.0.gender:GENDER_MISMATCH']);
  });
});

describe('identityViolations — ages', () => {
  it.each([
    { name: 'head exactly 16 today', birth: '2010-11-23', expected: [] },
    { name: 'head 16 tomorrow', birth: '2010-11-24', expected: ['head.idNumber:HEAD_TOO_YOUNG'] },
  ])('$name', ({ birth, expected }) => {
    expect(codes({ head: { idNumber: makeIdNumber({ birthDate: birth }) }, members: [], now: NOW })).toEqual(
      expected,
    );
  });

  it.each([
    { name: 'spouse aged 50', m: { relation: 'spouse', birthDate: '1976-01-01' }, expected: [] },
    {
      name: 'spouse aged 19',
      m: { relation: 'spouse', birthDate: '2007-01-01' },
      expected: ['members.0.relation:SPOUSE_TOO_YOUNG'],
    },
    { name: 'parent older than head', m: { relation: 'parent', birthDate: '1942-01-01' }, expected: [] },
    {
      name: 'parent younger than head',
      m: { relation: 'parent', birthDate: '1990-01-01' },
      expected: ['members.0.relation:RELATION_AGE_IMPLAUSIBLE'],
    },
    {
      name: 'child younger than head',
      m: { relation: 'child', birthDate: '2009-01-01', schoolingStage: 'senior_high' },
      expected: [],
    },
    {
      name: 'child older than head',
      m: { relation: 'child', birthDate: '1960-01-01' },
      expected: ['members.0.relation:RELATION_AGE_IMPLAUSIBLE'],
    },
    {
      name: 'primary pupil aged 9',
      m: { relation: 'child', birthDate: '2017-03-01', schoolingStage: 'primary' },
      expected: [],
    },
    {
      name: 'primary pupil aged 30',
      m: { relation: 'child', birthDate: '1996-03-01', schoolingStage: 'primary' },
      expected: ['members.0.schoolingStage:SCHOOLING_AGE_IMPLAUSIBLE'],
    },
    {
      name: 'preschool aged 3',
      m: { relation: 'grandchild', birthDate: '2023-06-01', schoolingStage: 'preschool' },
      expected: [],
    },
    {
      name: 'college aged 12',
      m: { relation: 'child', birthDate: '2014-06-01', schoolingStage: 'college' },
      expected: ['members.0.schoolingStage:SCHOOLING_AGE_IMPLAUSIBLE'],
    },
  ] as const)('$name', ({ m, expected }) => {
    expect(
      codes({
        head: { idNumber: HEAD },
        members: [member(m as Partial<IdentityMember> & { birthDate: string })],
        now: NOW,
      }),
    ).toEqual(expected);
  });
});

describe('ageOn / chinaDate', () => {
  it.each([
    ['1968-05-12', '2026-05-11', 57],
    ['1968-05-12', '2026-05-12', 58],
    ['2000-02-29', '2026-02-28', 25],
    ['2000-02-29', '2026-03-01', 26],
  ])('born %s, on %s → %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('uses the date in China (UTC+8)', () => {
    expect(chinaDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(chinaDate(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
  });
});

/** A valid number whose check character is X (searching sequences keeps the test independent of data). */
function findWithX(): string {
  for (let sequence = 1; sequence < 999; sequence += 2) {
    const id = makeIdNumber({ regionCode: '330106', birthDate: '1968-05-12', sequence, gender: 'male' });
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check character found');
}
