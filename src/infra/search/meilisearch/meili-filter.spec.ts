import { InvalidSearchFilterError } from '../search-errors';
import { F, FilterExpr, IndexDefinition } from '../search-engine';
import { meiliValue, toMeiliFilter } from './meili-filter';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title', 'description'],
  filterableFields: {
    status: 'string',
    category: 'string',
    regionCodes: 'string',
    capacityRemaining: 'number',
    online: 'boolean',
  },
};

describe('toMeiliFilter', () => {
  const cases: { name: string; filter: FilterExpr | undefined; expected: string }[] = [
    {
      name: 'string eq is double-quoted',
      filter: F.eq('status', 'published'),
      expected: 'status = "published"',
    },
    {
      name: 'number eq is a literal',
      filter: F.eq('capacityRemaining', 3),
      expected: 'capacityRemaining = 3',
    },
    {
      name: 'negative and fractional numbers',
      filter: F.eq('capacityRemaining', -2.5),
      expected: 'capacityRemaining = -2.5',
    },
    { name: 'boolean eq is a literal', filter: F.eq('online', false), expected: 'online = false' },
    {
      name: 'double quotes inside a value are escaped',
      filter: F.eq('category', 'say "hi"'),
      expected: 'category = "say \\"hi\\""',
    },
    {
      name: 'backslashes inside a value are escaped (before quotes)',
      filter: F.eq('category', 'a\\b\\"c'),
      expected: 'category = "a\\\\b\\\\\\"c"',
    },
    {
      name: 'a value cannot close the string and inject an OR',
      filter: F.eq('status', 'x" or status = "y'),
      expected: 'status = "x\\" or status = \\"y"',
    },
    {
      name: 'Chinese text is kept as is',
      filter: F.eq('category', '金秋助学'),
      expected: 'category = "金秋助学"',
    },
    {
      name: 'in becomes IN [...]',
      filter: F.in('category', ['training', 'employment']),
      expected: 'category IN ["training", "employment"]',
    },
    {
      name: 'in drops duplicate values',
      filter: F.in('category', ['a', 'a', 'b']),
      expected: 'category IN ["a", "b"]',
    },
    {
      name: 'range with both bounds is one TO (one value must lie in it), lt as the double below',
      filter: F.range('capacityRemaining', { gte: 1, lt: 10 }),
      expected: 'capacityRemaining 1 TO 9.999999999999998',
    },
    {
      name: 'closed range',
      filter: F.range('capacityRemaining', { gte: 18, lte: 60 }),
      expected: 'capacityRemaining 18 TO 60',
    },
    {
      name: 'numbers never in exponent form',
      filter: F.or(F.eq('capacityRemaining', 1e-7), F.range('capacityRemaining', { lte: 1.5e-10 })),
      expected: 'capacityRemaining = 0.0000001 OR capacityRemaining <= 0.00000000015',
    },
    {
      name: 'range with one bound (gt as gte of the next double)',
      filter: F.range('capacityRemaining', { gt: 0 }),
      expected: `capacityRemaining >= 0.${'0'.repeat(323)}5`,
    },
    {
      name: 'range with lte',
      filter: F.range('capacityRemaining', { lte: 5 }),
      expected: 'capacityRemaining <= 5',
    },
    {
      name: 'and of leaves',
      filter: F.and(F.eq('status', 'published'), F.eq('online', true)),
      expected: 'status = "published" AND online = true',
    },
    {
      name: 'or nested in and is parenthesised',
      filter: F.and(F.eq('status', 'published'), F.or(F.eq('category', 'a'), F.eq('category', 'b'))),
      expected: 'status = "published" AND (category = "a" OR category = "b")',
    },
    {
      name: 'and nested in or is parenthesised',
      filter: F.or(F.and(F.eq('status', 'a'), F.eq('online', true)), F.eq('status', 'b')),
      expected: '(status = "a" AND online = true) OR status = "b"',
    },
    { name: 'not of a leaf', filter: F.not(F.eq('status', 'closed')), expected: 'NOT status = "closed"' },
    {
      name: 'not of a compound is parenthesised',
      filter: F.not(F.or(F.eq('status', 'a'), F.eq('status', 'b'))),
      expected: 'NOT (status = "a" OR status = "b")',
    },
    {
      name: 'nested and flattens',
      filter: F.and(
        F.eq('status', 'a'),
        F.and(F.eq('online', true), F.range('capacityRemaining', { gt: 0 })),
      ),
      expected: `status = "a" AND online = true AND capacityRemaining >= 0.${'0'.repeat(323)}5`,
    },
    { name: 'double negation cancels', filter: F.not(F.not(F.eq('status', 'a'))), expected: 'status = "a"' },
    {
      name: 'an empty in inside or is dropped',
      filter: F.or(F.in('category', []), F.eq('status', 'a')),
      expected: 'status = "a"',
    },
  ];

  it.each(cases)('$name', ({ filter, expected }) => {
    expect(toMeiliFilter(filter, offers)).toEqual({ kind: 'expr', filter: expected });
  });

  it.each([
    { name: 'no filter', filter: undefined },
    { name: 'empty and', filter: F.and() },
    { name: 'not of an empty in', filter: F.not(F.in('category', [])) },
  ])('$name matches everything (no filter sent)', ({ filter }) => {
    expect(toMeiliFilter(filter, offers)).toEqual({ kind: 'all' });
  });

  it.each([
    { name: 'empty in', filter: F.in('category', []) },
    { name: 'a range whose bounds cross', filter: F.range('capacityRemaining', { gt: 5, lt: 5 }) },
    { name: 'empty or', filter: F.or() },
    { name: 'and with an empty in', filter: F.and(F.eq('status', 'a'), F.in('category', [])) },
  ])('$name matches nothing (engine not asked)', ({ filter }) => {
    expect(toMeiliFilter(filter, offers)).toEqual({ kind: 'none' });
  });

  it.each([
    { name: 'unknown field', filter: F.eq('secret', 'x'), message: /"secret" 不可过滤/ },
    {
      name: 'unknown field deep inside',
      filter: F.and(F.eq('status', 'a'), F.not(F.eq('nope', 1))),
      message: /nope/,
    },
    { name: 'field that is not an identifier', filter: F.eq('status = "x" OR a', 'x'), message: /字段名/ },
    { name: 'string value for a number field', filter: F.eq('capacityRemaining', '3'), message: /number/ },
    { name: 'number value for a string field', filter: F.in('category', ['a', 1]), message: /string/ },
    { name: 'NaN', filter: F.eq('capacityRemaining', Number.NaN), message: /number/ },
    { name: 'infinite bound', filter: F.range('capacityRemaining', { lt: Infinity }), message: /有限数值/ },
    { name: 'range on a string field', filter: F.range('status', { gt: 1 }), message: /数值字段/ },
    { name: 'range without bounds', filter: F.range('capacityRemaining', {}), message: /至少需要一个边界/ },
    { name: 'an empty string', filter: F.eq('status', ''), message: /不能为空字符串/ },
    { name: 'upper case', filter: F.eq('status', 'Published'), message: /必须是小写/ },
    { name: 'surrounding spaces', filter: F.in('category', ['a', ' b']), message: /首尾不能有空白/ },
    { name: 'full-width letters', filter: F.eq('category', 'ａｂ'), message: /NFKD/ },
    { name: 'a control character', filter: F.eq('category', 'a\u0000b'), message: /控制字符/ },
    { name: 'a value over 256 bytes', filter: F.eq('category', '职'.repeat(86)), message: /256 字节/ },
    { name: 'a number beyond 2^53', filter: F.eq('capacityRemaining', 1e21), message: /绝对值不能超过/ },
    { name: 'a bound beyond 2^53', filter: F.range('capacityRemaining', { gt: -1e300 }), message: /绝对值/ },
    {
      name: 'gt and gte together',
      filter: F.range('capacityRemaining', { gt: 1, gte: 2 }),
      message: /gt 和 gte/,
    },
    {
      name: 'unknown operator',
      filter: { op: 'like', field: 'status' } as unknown as FilterExpr,
      message: /未知的过滤操作/,
    },
  ])('rejects $name', ({ filter, message }) => {
    const run = () => toMeiliFilter(filter, offers);
    expect(run).toThrow(InvalidSearchFilterError);
    expect(run).toThrow(message);
  });
});

describe('meiliValue', () => {
  it.each([
    { value: 'plain', expected: '"plain"' },
    { value: '"', expected: '"\\""' },
    { value: '\\', expected: '"\\\\"' },
    { value: "it's", expected: '"it\'s"' },
    { value: 42, expected: '42' },
    { value: -0.5, expected: '-0.5' },
    { value: 1.5e-10, expected: '0.00000000015' },
    { value: 9007199254740991, expected: '9007199254740991' },
    { value: true, expected: 'true' },
  ])('$value → $expected', ({ value, expected }) => {
    expect(meiliValue(value)).toBe(expected);
  });
});
