import {
  householdDuplicateViolations,
  type DuplicateMatch,
  type HouseholdPerson,
} from './household-duplicate.rule';

const people: HouseholdPerson[] = [
  { field: 'head.idNumber', idNumberBlindIndex: 'h' },
  { field: 'members.0.idNumber', idNumberBlindIndex: 'm0' },
  { field: 'members.1.idNumber', idNumberBlindIndex: 'm1' },
];

describe('householdDuplicateViolations', () => {
  it.each([
    { name: 'nobody elsewhere', matches: [], expected: [] },
    {
      name: 'head in another unit’s archive',
      matches: [{ idNumberBlindIndex: 'h', archiveId: 'other', orgUnitName: '拱墅区某街道工会' }],
      expected: ['head.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE'],
    },
    {
      name: 'member in another archive of the same unit',
      matches: [{ idNumberBlindIndex: 'm1', archiveId: 'other', orgUnitName: '西湖区某公司工会' }],
      expected: ['members.1.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE'],
    },
    {
      name: 'two people in two other archives',
      matches: [
        { idNumberBlindIndex: 'h', archiveId: 'a1', orgUnitName: '甲工会' },
        { idNumberBlindIndex: 'm0', archiveId: 'a2', orgUnitName: '乙工会' },
      ],
      expected: [
        'head.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE',
        'members.0.idNumber:HOUSEHOLD_DUPLICATE_ARCHIVE',
      ],
    },
    {
      name: 'a match in this very archive is ignored',
      matches: [{ idNumberBlindIndex: 'h', archiveId: 'self', orgUnitName: '本单位' }],
      expected: [],
    },
  ] as { name: string; matches: DuplicateMatch[]; expected: string[] }[])(
    '$name',
    ({ matches, expected }) => {
      const violations = householdDuplicateViolations(people, matches, 'self');
      expect(violations.map((v) => `${v.field}:${v.code}`)).toEqual(expected);
    },
  );

  it('names the other unit, never the person or the number', () => {
    const [v] = householdDuplicateViolations(
      [{ field: 'head.idNumber', idNumberBlindIndex: 'abc123' }],
      [
        { idNumberBlindIndex: 'abc123', archiveId: 'x', orgUnitName: '宁波市鄞州区某公司工会' },
        { idNumberBlindIndex: 'abc123', archiveId: 'y', orgUnitName: '杭州市西湖区某街道工会' },
      ],
      null,
    );
    expect(v.rule).toBe('household-duplicate');
    expect(v.message).toContain('宁波市鄞州区某公司工会');
    expect(v.message).toContain('杭州市西湖区某街道工会');
    expect(v.message).not.toContain('abc123');
  });

  it('for a worker: a generic code and message, without the other unit', () => {
    const matches: DuplicateMatch[] = [
      { idNumberBlindIndex: 'm0', archiveId: 'x', orgUnitName: '宁波市鄞州区某公司工会' },
    ];
    const violations = householdDuplicateViolations(people, matches, 'self', { namesUnits: false });
    expect(violations).toEqual([
      {
        rule: 'household-duplicate',
        code: 'PERSON_ALREADY_IN_ARCHIVE',
        field: 'members.0.idNumber',
        message: '该人员已在其他困难职工档案中，请联系所在基层工会核实',
      },
    ]);
    expect(householdDuplicateViolations(people, matches, 'self', { namesUnits: true })[0].code).toBe(
      'HOUSEHOLD_DUPLICATE_ARCHIVE',
    );
  });

  it('the same person twice in one archive', () => {
    const violations = householdDuplicateViolations(
      [
        { field: 'head.idNumber', idNumberBlindIndex: 'same' },
        { field: 'members.0.idNumber', idNumberBlindIndex: 'other' },
        { field: 'members.1.idNumber', idNumberBlindIndex: 'same' },
      ],
      [],
      null,
    );
    expect(violations).toEqual([
      expect.objectContaining({ code: 'HOUSEHOLD_PERSON_REPEATED', field: 'members.1.idNumber' }),
    ]);
  });
});
