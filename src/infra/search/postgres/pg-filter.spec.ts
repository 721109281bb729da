import { InvalidSearchFilterError } from '../search-errors';
import { F, FilterExpr, IndexDefinition } from '../search-engine';
import { toSqlFilter } from './pg-filter';

const offers: IndexDefinition = {
  name: 'offers',
  searchableFields: ['title'],
  filterableFields: { status: 'string', category: 'string', capacityRemaining: 'number', online: 'boolean' },
};

/** Parameters start after the index name ($1), as in the adapter. */
function translate(filter: FilterExpr | undefined) {
  const params: unknown[] = ['offers'];
  const result = toSqlFilter(filter, offers, params, 'd.filters');
  return { result, params: params.slice(1) };
}

describe('toSqlFilter', () => {
  const cases: { name: string; filter: FilterExpr; sql: string; params: unknown[] }[] = [
    {
      name: 'string eq → containment of a one-element array',
      filter: F.eq('status', 'published'),
      sql: 'd.filters @> $2::jsonb',
      params: ['{"status":["published"]}'],
    },
    {
      name: 'number eq keeps the JSON number type',
      filter: F.eq('capacityRemaining', 3),
      sql: 'd.filters @> $2::jsonb',
      params: ['{"capacityRemaining":[3]}'],
    },
    {
      name: 'boolean eq keeps the JSON boolean type',
      filter: F.eq('online', true),
      sql: 'd.filters @> $2::jsonb',
      params: ['{"online":[true]}'],
    },
    {
      name: 'quotes and backslashes stay inside the JSON parameter',
      filter: F.eq('category', `a"b\\c' or 1=1 --`),
      sql: 'd.filters @> $2::jsonb',
      params: [JSON.stringify({ category: [`a"b\\c' or 1=1 --`] })],
    },
    {
      name: 'in → one containment per value, OR-ed',
      filter: F.in('category', ['training', 'employment']),
      sql: '(d.filters @> $2::jsonb OR d.filters @> $3::jsonb)',
      params: ['{"category":["training"]}', '{"category":["employment"]}'],
    },
    {
      name: 'in with one value is a plain containment',
      filter: F.in('category', ['training']),
      sql: 'd.filters @> $2::jsonb',
      params: ['{"category":["training"]}'],
    },
    {
      name: 'range → jsonpath with the bounds as variables',
      filter: F.range('capacityRemaining', { gte: 1, lt: 10 }),
      sql: 'jsonb_path_exists(d.filters, $2::jsonpath, $3::jsonb)',
      // lt 10 is lte the double just below 10: one closed rule on every engine.
      params: ['$."capacityRemaining"[*] ? (@ >= $gte && @ <= $lte)', '{"gte":1,"lte":9.999999999999998}'],
    },
    {
      name: 'range with gt and lte',
      filter: F.range('capacityRemaining', { gt: 0, lte: 5 }),
      sql: 'jsonb_path_exists(d.filters, $2::jsonpath, $3::jsonb)',
      params: ['$."capacityRemaining"[*] ? (@ >= $gte && @ <= $lte)', '{"gte":5e-324,"lte":5}'],
    },
    {
      name: 'and / or / not with parentheses, parameters numbered in order',
      filter: F.and(F.eq('status', 'published'), F.or(F.eq('online', true), F.not(F.eq('category', 'x')))),
      sql: '(d.filters @> $2::jsonb AND (d.filters @> $3::jsonb OR NOT (d.filters @> $4::jsonb)))',
      params: ['{"status":["published"]}', '{"online":[true]}', '{"category":["x"]}'],
    },
    {
      name: 'not of a compound',
      filter: F.not(F.and(F.eq('status', 'a'), F.range('capacityRemaining', { gt: 0 }))),
      sql: 'NOT ((d.filters @> $2::jsonb AND jsonb_path_exists(d.filters, $3::jsonpath, $4::jsonb)))',
      params: ['{"status":["a"]}', '$."capacityRemaining"[*] ? (@ >= $gte)', '{"gte":5e-324}'],
    },
  ];

  it.each(cases)('$name', ({ filter, sql, params }) => {
    const out = translate(filter);
    expect(out.result).toEqual({ kind: 'sql', sql });
    expect(out.params).toEqual(params);
  });

  it('never puts a value into the SQL text', () => {
    const nasty = `'); drop table search_documents; --`;
    const { result } = translate(F.or(F.eq('status', nasty), F.in('category', [nasty, '"\\'])));
    expect(result.kind).toBe('sql');
    expect(JSON.stringify(result)).not.toContain('drop');
    expect(JSON.stringify(result)).not.toContain('\\\\');
  });

  it.each([
    { name: 'no filter', filter: undefined, kind: 'all' },
    { name: 'empty and', filter: F.and(), kind: 'all' },
    { name: 'empty in', filter: F.in('status', []), kind: 'none' },
    {
      name: 'and containing an empty in',
      filter: F.and(F.eq('status', 'a'), F.in('category', [])),
      kind: 'none',
    },
  ])('$name → $kind without parameters', ({ filter, kind }) => {
    const out = translate(filter);
    expect(out.result).toEqual({ kind });
    expect(out.params).toEqual([]);
  });

  it.each([
    { name: 'an unknown field', filter: F.eq('ownerPhone', '138') },
    { name: 'an invalid field name', filter: F.eq(`status"; --`, 'x') },
    { name: 'a wrong value type', filter: F.eq('online', 'yes') },
    { name: 'a range on a boolean', filter: F.range('online', { gt: 0 }) },
  ])('rejects $name', ({ filter }) => {
    expect(() => translate(filter)).toThrow(InvalidSearchFilterError);
  });
});
