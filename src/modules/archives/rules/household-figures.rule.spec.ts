import {
  categoryViolations,
  householdFigures,
  marginalCeilingFen,
  type CategoryCheckInput,
} from './household-figures.rule';

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
      name: 'income items count',
      head: 0,
      members: [0],
      items: [50000, 30001],
      size: 2,
      total: 80001,
      perCapita: 40000,
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
  ])('$name', ({ head, members, items, size, total, perCapita }) => {
    expect(
      householdFigures({
        headMonthlyIncomeFen: head,
        members: members.map((m) => ({ monthlyIncomeFen: m })),
        incomeItems: items.map((i) => ({ monthlyAmountFen: i })),
      }),
    ).toEqual({ householdSize: size, monthlyIncomeFen: total, perCapitaIncomeFen: perCapita });
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
    causes: ['illness'],
    dibaoLineFen: LINE,
    marginalMultiple: 1.5,
  };
  it.each([
    { name: 'dibao well below the line', category: 'dibao', perCapita: 80000, codes: [] },
    { name: 'dibao exactly at the line', category: 'dibao', perCapita: LINE, codes: [] },
    {
      name: 'dibao one fen over the line',
      category: 'dibao',
      perCapita: LINE + 1,
      codes: ['CATEGORY_DIBAO_INCOME_ABOVE_LINE'],
    },
    { name: 'marginal below the line', category: 'marginal', perCapita: 100000, codes: [] },
    { name: 'marginal exactly at line × 1.5', category: 'marginal', perCapita: 186000, codes: [] },
    {
      name: 'marginal one fen over line × 1.5',
      category: 'marginal',
      perCapita: 186001,
      codes: ['CATEGORY_MARGINAL_INCOME_ABOVE_LIMIT'],
    },
    {
      name: 'accident is not income-tested',
      category: 'accident',
      perCapita: 500000,
      causes: ['accident'],
      codes: [],
    },
    {
      name: 'accident by disaster',
      category: 'accident',
      perCapita: 0,
      causes: ['disaster', 'illness'],
      codes: [],
    },
    {
      name: 'accident without accident/disaster cause',
      category: 'accident',
      perCapita: 0,
      causes: ['illness'],
      codes: ['CATEGORY_ACCIDENT_CAUSE_REQUIRED'],
    },
    {
      name: 'accident with no line on record still passes',
      category: 'accident',
      perCapita: 0,
      causes: ['accident'],
      line: null,
      codes: [],
    },
    {
      name: 'dibao with no line on record',
      category: 'dibao',
      perCapita: 0,
      line: null,
      codes: ['DIBAO_LINE_MISSING'],
    },
    {
      name: 'marginal with no line on record',
      category: 'marginal',
      perCapita: 0,
      line: null,
      codes: ['DIBAO_LINE_MISSING'],
    },
  ] as const)('$name', ({ category, perCapita, codes, ...rest }) => {
    const input: CategoryCheckInput = {
      ...base,
      category,
      monthlyIncomeFen: perCapita,
      householdSize: 1,
      causes: ('causes' in rest ? rest.causes : undefined) ?? base.causes,
      dibaoLineFen: 'line' in rest ? (rest.line ?? null) : LINE,
    };
    const violations = categoryViolations(input);
    expect(violations.map((v) => v.code)).toEqual(codes);
    for (const v of violations) {
      expect(v.rule).toBe('household-figures');
      expect(v.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('names the figures in yuan in the message', () => {
    const [v] = categoryViolations({ ...base, monthlyIncomeFen: LINE + 1 });
    expect(v.message).toContain('1240.01');
    expect(v.message).toContain('1240.00');
    expect(v.field).toBe('category');
  });

  // A rounded-down per-capita figure used to let households a fraction of a fen per person over pass.
  it.each([
    { category: 'dibao', line: 111000, size: 3, total: 333000, codes: [] },
    { category: 'dibao', line: 111000, size: 3, total: 333001, codes: ['CATEGORY_DIBAO_INCOME_ABOVE_LINE'] },
    { category: 'dibao', line: 111000, size: 3, total: 333002, codes: ['CATEGORY_DIBAO_INCOME_ABOVE_LINE'] },
    { category: 'dibao', line: 111000, size: 4, total: 444003, codes: ['CATEGORY_DIBAO_INCOME_ABOVE_LINE'] },
    { category: 'dibao', line: 111000, size: 4, total: 443999, codes: [] },
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
    expect(v.message).toContain('1110.00 元高于当地低保标准 1110.00 元');
  });
});
