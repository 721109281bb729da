import type { IncomeKind } from '../archive.enums';
import {
  categoryViolations,
  householdFigures,
  marginalCeilingFen,
  type CategoryCheckInput,
} from './household-figures.rule';

/** The shipped default of `archives.excludedIncomeKinds`. */
const EXCLUDED: readonly IncomeKind[] = [
  'dibao_benefit',
  'tekun_benefit',
  'temporary_assistance',
  'special_care_pension',
  'award',
  'scholarship',
];

describe('householdFigures', () => {
  it.each([
    { name: 'head alone', head: 90000, members: [], items: [], size: 1, total: 90000, perCapita: 90000 },
    {
      name: 'head + two members',
      head: 150000,
      members: [60000, 0],
      items: [],
      size: 3,
      total: 210000,
      perCapita: 70000,
    },
    {
      name: 'wages, pensions and rent count',
      head: 0,
      members: [0],
      items: [
        ['wage', 50000],
        ['pension', 30000],
        ['rent', 1],
      ],
      size: 2,
      total: 80001,
      perCapita: 40000,
    },
    {
      name: '低保金 is not income (a 低保 household does not sit at the line because of it)',
      head: 60000,
      members: [0],
      items: [
        ['dibao_benefit', 188000],
        ['pension', 20000],
      ],
      size: 2,
      total: 80000,
      perCapita: 40000,
    },
    {
      name: '特困供养金, 临时救助金, 优抚金, awards and scholarships are not income',
      head: 10000,
      members: [],
      items: [
        ['tekun_benefit', 100000],
        ['temporary_assistance', 200000],
        ['special_care_pension', 150000],
        ['award', 500000],
        ['scholarship', 80000],
      ],
      size: 1,
      total: 10000,
      perCapita: 10000,
    },
    {
      name: 'unemployment benefit and business income count',
      head: 0,
      members: [],
      items: [
        ['unemployment_benefit', 170000],
        ['business', 3000],
        ['other', 7],
      ],
      size: 1,
      total: 173007,
      perCapita: 173007,
    },
    {
      name: 'per capita rounds down to the fen',
      head: 100,
      members: [0, 0],
      items: [],
      size: 3,
      total: 100,
      perCapita: 33,
    },
    { name: 'no income at all', head: 0, members: [0, 0, 0], items: [], size: 4, total: 0, perCapita: 0 },
  ] as {
    name: string;
    head: number;
    members: number[];
    items: [IncomeKind, number][];
    size: number;
    total: number;
    perCapita: number;
  }[])('$name', ({ head, members, items, size, total, perCapita }) => {
    expect(
      householdFigures(
        {
          headMonthlyIncomeFen: head,
          members: members.map((m) => ({ monthlyIncomeFen: m })),
          incomeItems: items.map(([kind, amount]) => ({ kind, monthlyAmountFen: amount })),
        },
        EXCLUDED,
      ),
    ).toEqual({ householdSize: size, monthlyIncomeFen: total, perCapitaIncomeFen: perCapita });
  });

  it('the excluded kinds come from configuration: with none excluded, 低保金 counts', () => {
    const input = {
      headMonthlyIncomeFen: 0,
      members: [],
      incomeItems: [{ kind: 'dibao_benefit' as const, monthlyAmountFen: 124000 }],
    };
    expect(householdFigures(input, []).monthlyIncomeFen).toBe(124000);
    expect(householdFigures(input, ['dibao_benefit']).monthlyIncomeFen).toBe(0);
  });
});

describe('marginalCeilingFen', () => {
  it.each([
    { line: 124000, multiple: 1.5, ceiling: 186000 },
    { line: 124001, multiple: 1.5, ceiling: 186001 },
    { line: 119500, multiple: 1.3, ceiling: 155350 },
    { line: 100001, multiple: 1.15, ceiling: 115001 },
    { line: 100000, multiple: 1, ceiling: 100000 },
  ])('$line × $multiple → $ceiling', ({ line, multiple, ceiling }) => {
    expect(marginalCeilingFen(line, multiple)).toBe(ceiling);
  });
});

describe('categoryViolations', () => {
  const LINE = 124000; // 杭州 1,240 元/月
  const base: CategoryCheckInput = {
    category: 'dibao',
    monthlyIncomeFen: 0,
    householdSize: 1,
    primaryCause: 'illness',
    dibaoLineFen: LINE,
    marginalMultiple: 1.5,
    dibaoCertificateNo: null,
    dibaoCertificateEvidence: false,
    incidentOn: null,
    incidentIncomeLossFen: null,
    incidentExpenseFen: null,
    checkDate: '2026-11-23',
  };
  const accident: Partial<CategoryCheckInput> = {
    category: 'accident',
    primaryCause: 'accident',
    incidentOn: '2026-10-02',
    incidentIncomeLossFen: 300000,
  };

  describe('income categories at the line and one fen either side (one person)', () => {
    it.each([
      { name: 'dibao well below the line', category: 'dibao', perCapita: 80000, codes: [] },
      { name: 'dibao one fen below the line', category: 'dibao', perCapita: LINE - 1, codes: [] },
      {
        name: 'dibao exactly at the line (not strictly below)',
        category: 'dibao',
        perCapita: LINE,
        codes: ['CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE'],
      },
      {
        name: 'dibao one fen over the line',
        category: 'dibao',
        perCapita: LINE + 1,
        codes: ['CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE'],
      },
      {
        name: 'marginal one fen below the line (that is dibao)',
        category: 'marginal',
        perCapita: LINE - 1,
        codes: ['CATEGORY_MARGINAL_INCOME_NOT_ABOVE_LINE'],
      },
      {
        name: 'marginal exactly at the line',
        category: 'marginal',
        perCapita: LINE,
        codes: ['CATEGORY_MARGINAL_INCOME_NOT_ABOVE_LINE'],
      },
      { name: 'marginal one fen over the line', category: 'marginal', perCapita: LINE + 1, codes: [] },
      { name: 'marginal one fen below line × 1.5', category: 'marginal', perCapita: 185999, codes: [] },
      { name: 'marginal exactly at line × 1.5', category: 'marginal', perCapita: 186000, codes: [] },
      {
        name: 'marginal one fen over line × 1.5',
        category: 'marginal',
        perCapita: 186001,
        codes: ['CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT'],
      },
    ] as const)('$name', ({ category, perCapita, codes }) => {
      const violations = categoryViolations({ ...base, category, monthlyIncomeFen: perCapita });
      expect(violations.map((v) => v.code)).toEqual(codes);
      for (const v of violations) {
        expect(v.rule).toBe('household-figures');
        expect(v.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    });
  });

  it.each([
    { multiple: 2, perCapita: 248000, codes: [] },
    { multiple: 2, perCapita: 248001, codes: ['CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT'] },
    { multiple: 1.5, perCapita: 248000, codes: ['CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT'] },
  ])(
    'marginal with the configured multiple $multiple at $perCapita → $codes',
    ({ multiple, perCapita, codes }) => {
      const violations = categoryViolations({
        ...base,
        category: 'marginal',
        marginalMultiple: multiple,
        monthlyIncomeFen: perCapita,
      });
      expect(violations.map((v) => v.code)).toEqual(codes);
    },
  );

  it.each([
    { primaryCause: 'unemployment', codes: [] },
    { primaryCause: 'illness', codes: [] },
    { primaryCause: 'schooling', codes: [] },
    { primaryCause: 'accident', codes: [] },
    { primaryCause: 'disaster', codes: [] },
    { primaryCause: 'low_income', codes: ['CATEGORY_MARGINAL_PRIMARY_CAUSE'] },
    { primaryCause: 'disability', codes: ['CATEGORY_MARGINAL_PRIMARY_CAUSE'] },
    { primaryCause: 'single_parent', codes: ['CATEGORY_MARGINAL_PRIMARY_CAUSE'] },
    { primaryCause: 'other', codes: ['CATEGORY_MARGINAL_PRIMARY_CAUSE'] },
    { primaryCause: null, codes: ['CATEGORY_MARGINAL_PRIMARY_CAUSE'] },
  ] as const)('marginal with primary cause $primaryCause → $codes', ({ primaryCause, codes }) => {
    const violations = categoryViolations({
      ...base,
      category: 'marginal',
      primaryCause,
      monthlyIncomeFen: 150000,
    });
    expect(violations.map((v) => v.code)).toEqual(codes);
    if (codes.length > 0) expect(violations[0].field).toBe('primaryCause');
  });

  it.each([
    { name: 'accident is not income-tested', input: { monthlyIncomeFen: 5000000 }, codes: [] },
    { name: 'accident with no line on record still passes', input: { dibaoLineFen: null }, codes: [] },
    {
      name: 'a disaster with a large expense',
      input: { primaryCause: 'disaster', incidentIncomeLossFen: null, incidentExpenseFen: 8000000 },
      codes: [],
    },
    { name: 'a major illness', input: { primaryCause: 'illness' }, codes: [] },
    {
      name: 'a primary cause that is not sudden',
      input: { primaryCause: 'low_income' },
      codes: ['CATEGORY_ACCIDENT_CAUSE_REQUIRED'],
    },
    { name: 'no primary cause', input: { primaryCause: null }, codes: ['CATEGORY_ACCIDENT_CAUSE_REQUIRED'] },
    { name: 'no date', input: { incidentOn: null }, codes: ['CATEGORY_ACCIDENT_DATE_REQUIRED'] },
    { name: 'on the application date', input: { incidentOn: '2026-11-23' }, codes: [] },
    {
      name: 'after the application date',
      input: { incidentOn: '2026-11-24' },
      codes: ['CATEGORY_ACCIDENT_DATE_IN_FUTURE'],
    },
    {
      name: 'neither the income cut nor the expense recorded',
      input: { incidentIncomeLossFen: null, incidentExpenseFen: null },
      codes: ['CATEGORY_ACCIDENT_IMPACT_REQUIRED'],
    },
    {
      name: 'zero cut and zero expense',
      input: { incidentIncomeLossFen: 0, incidentExpenseFen: 0 },
      codes: ['CATEGORY_ACCIDENT_IMPACT_REQUIRED'],
    },
    {
      name: 'one fen of expense is recorded',
      input: { incidentIncomeLossFen: 0, incidentExpenseFen: 1 },
      codes: [],
    },
  ] as { name: string; input: Partial<CategoryCheckInput>; codes: string[] }[])(
    'accident: $name → $codes',
    ({ input, codes }) => {
      const violations = categoryViolations({ ...base, ...accident, ...input });
      expect(violations.map((v) => v.code)).toEqual(codes);
    },
  );

  it.each([
    { name: 'dibao with no line on record', category: 'dibao', codes: ['DIBAO_LINE_MISSING'] },
    { name: 'marginal with no line on record', category: 'marginal', codes: ['DIBAO_LINE_MISSING'] },
  ] as const)('$name', ({ category, codes }) => {
    const violations = categoryViolations({ ...base, category, dibaoLineFen: null, primaryCause: 'illness' });
    expect(violations.map((v) => v.code)).toEqual(codes);
    expect(violations[0].field).toBe('regionCode');
  });

  it.each([
    { name: 'no certificate', number: null, evidence: false, codes: [] },
    {
      name: 'a certificate with its evidence file',
      number: '杭低保字第0012345号',
      evidence: true,
      codes: [],
    },
    {
      name: 'a certificate number without evidence',
      number: '杭低保字第0012345号',
      evidence: false,
      codes: ['DIBAO_CERTIFICATE_EVIDENCE_REQUIRED'],
    },
  ])('dibao certificate: $name → $codes', ({ number, evidence, codes }) => {
    const violations = categoryViolations({
      ...base,
      monthlyIncomeFen: 50000,
      dibaoCertificateNo: number,
      dibaoCertificateEvidence: evidence,
    });
    expect(violations.map((v) => v.code)).toEqual(codes);
  });

  it('names the figures in yuan in the message', () => {
    const [v] = categoryViolations({ ...base, monthlyIncomeFen: LINE + 1 });
    expect(v.message).toContain('1240.01');
    expect(v.message).toContain('1240.00');
    expect(v.field).toBe('category');
  });

  // A rounded-down per-capita figure would let households a fraction of a fen per person over pass.
  it.each([
    { category: 'dibao', line: 111000, size: 3, total: 332999, codes: [] },
    {
      category: 'dibao',
      line: 111000,
      size: 3,
      total: 333000,
      codes: ['CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE'],
    },
    {
      category: 'dibao',
      line: 111000,
      size: 3,
      total: 333001,
      codes: ['CATEGORY_DIBAO_INCOME_NOT_BELOW_LINE'],
    },
    { category: 'dibao', line: 111000, size: 4, total: 443999, codes: [] },
    {
      category: 'marginal',
      line: 111000,
      size: 3,
      total: 333000,
      codes: ['CATEGORY_MARGINAL_INCOME_NOT_ABOVE_LINE'],
    },
    { category: 'marginal', line: 111000, size: 3, total: 333001, codes: [] },
    // line × 1.5 × 3 = 499500 exactly.
    { category: 'marginal', line: 111000, size: 3, total: 499500, codes: [] },
    {
      category: 'marginal',
      line: 111000,
      size: 3,
      total: 499501,
      codes: ['CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT'],
    },
    // line × 1.5 = 166501.5 per person: the half fen counts (7 × 166501.5 = 1165510.5).
    { category: 'marginal', line: 111001, size: 7, total: 1165510, codes: [] },
    {
      category: 'marginal',
      line: 111001,
      size: 7,
      total: 1165511,
      codes: ['CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT'],
    },
  ] as const)(
    '$category: line $line, $size people, total $total → $codes',
    ({ category, line, size, total, codes }) => {
      const violations = categoryViolations({
        ...base,
        category,
        dibaoLineFen: line,
        householdSize: size,
        monthlyIncomeFen: total,
      });
      expect(violations.map((v) => v.code)).toEqual(codes);
    },
  );

  it('shows the rounded-down per-capita figure in the message', () => {
    const [v] = categoryViolations({
      ...base,
      dibaoLineFen: 111000,
      householdSize: 3,
      monthlyIncomeFen: 333002,
    });
    expect(v.message).toContain('1110.00 元不低于当地低保标准 1110.00 元');
  });
});
