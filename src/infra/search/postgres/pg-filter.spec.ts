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
  const result = toSqlFilter(filter, offers, params, { facets: 'd.facets', filters: 'd.filters' });
  return { result, params: params.slice(1) };
}

describe('toSqlFilter', () => {
  const cases: { name: string; filter: FilterExpr; sql: string; params: unknown[] }[] = [
    {
      name: 'string eq → the facets hold its key (field = the JSON value)',
      filter: F.eq('status', 'published'),
      sql: 'd.facets @> $2::text[]',
      params: [['status="published"']],
    },
    {
      name: 'number eq keeps the JSON number form (never the string "3")',
      filter: F.eq('capacityRemaining', 3),
      sql: 'd.facets @> $2::text[]',
      params: [['capacityRemaining=3']],
    },
    {
      name: 'boolean eq keeps the JSON boolean form',
      filter: F.eq('online', true),
      sql: 'd.facets @> $2::text[]',
      params: [['online=true']],
    },
    {
      name: 'quotes and backslashes stay inside the parameter, JSON-escaped',
      filter: F.eq('category', `a"b\\c' or 1=1 --`),
      sql: 'd.facets @> $2::text[]',
      params: [[`category=${JSON.stringify(`a"b\\c' or 1=1 --`)}`]],
    },
    {
      name: 'in → one overlap with every key',
      filter: F.in('category', ['training', 'employment']),
      sql: 'd.facets && $2::text[]',
      params: [['category="training"', 'category="employment"']],
    },
    {
      name: 'in with one value is an overlap too',
      filter: F.in('category', ['training']),
      sql: 'd.facets && $2::text[]',
      params: [['category="training"']],
    },
    {
      name: 'an OR of equalities over several fields → ONE overlap (indexable)',
      filter: F.or(F.eq('online', true), F.in('category', ['a', 'b']), F.eq('status', 'x')),
      sql: 'd.facets && $2::text[]',
      params: [['online=true', 'category="a"', 'category="b"', 'status="x"']],
    },
    {
      name: 'range → jsonpath over filters with the bounds as variables',
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
      sql: '(d.facets @> $2::text[] AND (d.facets @> $3::text[] OR NOT (d.facets @> $4::text[])))',
      params: [['status="published"'], ['online=true'], ['category="x"']],
    },
    {
      name: 'an OR with a range is OR-ed branch by branch',
      filter: F.or(F.eq('online', true), F.range('capacityRemaining', { gte: 1 })),
      sql: '(d.facets @> $2::text[] OR jsonb_path_exists(d.filters, $3::jsonpath, $4::jsonb))',
      params: [['online=true'], '$."capacityRemaining"[*] ? (@ >= $gte)', '{"gte":1}'],
    },
    {
      name: 'not of a compound',
      filter: F.not(F.and(F.eq('status', 'a'), F.range('capacityRemaining', { gt: 0 }))),
      sql: 'NOT ((d.facets @> $2::text[] AND jsonb_path_exists(d.filters, $3::jsonpath, $4::jsonb)))',
      params: [['status="a"'], '$."capacityRemaining"[*] ? (@ >= $gte)', '{"gte":5e-324}'],
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
